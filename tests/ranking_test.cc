// Relevance regression: a handful of passages and queries written for this
// test, each a case the default ranking (docs/ranking.md) must get right.
// Question-style queries look for the paragraph that answers them among
// paragraphs of the same article; headline queries look for the article
// whose title they start. Each runs typed with and without diacritics. A
// change that breaks question ranking or headline ranking fails here.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "search_test_util.h"

namespace tim::testing {
namespace {

struct Passage {
  const char* id;
  const char* title;
  const char* body;
};

// Wikipedia-like paragraphs (several share an article) and news articles.
const Passage kPassages[] = {
    {"tn-khi-hau", "Tây Nguyên",
     "Khí hậu Tây Nguyên chia làm hai mùa rõ rệt: mùa mưa từ tháng 5 đến tháng 10 và mùa khô từ "
     "tháng 11 đến tháng 4 năm sau."},
    {"tn-dan-toc", "Tây Nguyên",
     "Tây Nguyên là địa bàn cư trú của nhiều dân tộc như Ê Đê, Gia Rai, Ba Na, M'Nông cùng người "
     "Kinh từ các tỉnh khác đến lập nghiệp."},
    {"tn-tinh", "Tây Nguyên",
     "Vùng Tây Nguyên gồm năm tỉnh Kon Tum, Gia Lai, Đắk Lắk, Đắk Nông và Lâm Đồng, rộng chừng "
     "năm mươi tư nghìn ki-lô-mét vuông."},
    {"bmt", "Buôn Ma Thuột",
     "Buôn Ma Thuột là thành phố tỉnh lỵ của tỉnh Đắk Lắk và là thành phố lớn nhất vùng Tây "
     "Nguyên, thường được xem là thủ phủ của cả vùng."},
    {"chu-du", "Chu Du",
     "Chu Du, tự Công Cẩn, là danh tướng nước Đông Ngô thời Tam Quốc. Ông sinh năm 175 tại huyện "
     "Thư, quận Lư Giang."},
    {"du-lich", "Du lịch sinh viên",
     "Sinh viên năm nhất thường chọn những chuyến du lịch ngắn; năm nào trường cũng lo chu đáo "
     "cho sinh viên mới nhập học."},
    {"pm-nhat", "Phần mềm đầu tiên giúp người Nhật học tiếng Việt",
     "Một nhóm kỹ sư Việt Nam vừa ra mắt phần mềm dạy tiếng Việt dành riêng cho người Nhật, với "
     "giao diện và phần hướng dẫn bằng tiếng Nhật."},
    {"psv", "PSV sẽ là công ty đầu tiên có 500 kỹ sư phần mềm",
     "PSV là công ty phần mềm đầu tiên của thành phố đạt chứng chỉ quốc tế về quy trình. Năm nay "
     "công ty tuyển thêm kỹ sư phần mềm để mở rộng xuất khẩu phần mềm."},
    {"pm-ke-toan", "Chọn phần mềm kế toán cho doanh nghiệp nhỏ",
     "Phần mềm kế toán đầu tiên mà doanh nghiệp nhỏ nên dùng là phần mềm miễn phí; phần mềm trả "
     "tiền chỉ cần khi quy mô lớn dần."},
    {"cairo", "Cairo", "Cairo là thủ đô của Ai Cập và là thành phố đông dân nhất thế giới Ả Rập."},
    {"hoi-dap", "Hỏi đáp",
     "Ai cũng biết thủ đô là nơi đặt các cơ quan trung ương, nhưng ai biết thủ đô đầu tiên của "
     "nước ta ở đâu, và ai đặt tên cho nó?"},
    {"bndc-nam", "Bình Ngô đại cáo",
     "Bình Ngô đại cáo được công bố vào đầu năm 1428, sau khi quân Minh rút khỏi Đại Việt."},
    {"bndc-y-nghia", "Bình Ngô đại cáo",
     "Bình Ngô đại cáo được xem là bản tuyên ngôn độc lập thứ hai của dân tộc, sau bài thơ Nam "
     "quốc sơn hà."},
    {"ton-duc-thang", "Tôn Đức Thắng",
     "Tôn Đức Thắng quê ở cù lao Ông Hổ, tỉnh An Giang; ông giữ chức Chủ tịch nước từ năm 1969 "
     "đến năm 1980."},
    {"sinh-ra", "Nơi sinh ra và lớn lên",
     "Nhiều người sinh ra ở nông thôn rồi lớn lên ở thành phố; ở đâu họ cũng mang theo lòng tôn "
     "trọng quê nhà và niềm vui chiến thắng."},
    {"nguyen-trai", "Nguyễn Trãi",
     "Nguyễn Trãi là tác giả của Bình Ngô đại cáo, bài cáo ông thay Lê Lợi viết để tuyên bố "
     "thắng lợi trước quân Minh."},
};

struct Case {
  const char* query;
  const char* query_without_diacritics;
  const char* want;  // the document that must rank first
};

const Case kQuestions[] = {
    // The article named in the question is not where the answer is.
    {"Thành phố nào là thủ phủ của Tây Nguyên", "Thanh pho nao la thu phu cua Tay Nguyen", "bmt"},
    {"Tác giả của Bình Ngô đại cáo là ai", "Tac gia cua Binh Ngo dai cao la ai", "nguyen-trai"},
    {"tác giả của bình ngô đại cáo là ai", "tac gia cua binh ngo dai cao la ai", "nguyen-trai"},
    // A name, and question words the answer does not repeat ("năm nào").
    {"Chu Du sinh năm nào", "Chu Du sinh nam nao", "chu-du"},
    // A name outweighs common words standing together ("sinh ra ở").
    {"Tôn Đức Thắng sinh ra ở đâu", "Ton Duc Thang sinh ra o dau", "ton-duc-thang"},
    // "ai" in a name is not the question word.
    {"thủ đô Ai Cập", "thu do Ai Cap", "cairo"},
    {"thủ đô ai cập", "thu do ai cap", "cairo"},
};

const Case kHeadlines[] = {
    // The title that starts with the query beats titles and bodies holding
    // the same words apart or more often.
    {"Phần mềm đầu tiên", "Phan mem dau tien", "pm-nhat"},
    {"phần mềm đầu tiên giúp người Nhật", "phan mem dau tien giup nguoi Nhat", "pm-nhat"},
};

class Ranking : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const Passage& p : kPassages) idx_.Add(p.id, p.title, p.body);
    idx_.Commit();
  }
  void ExpectFirst(const Case& c) {
    for (const char* q : {c.query, c.query_without_diacritics}) {
      const std::vector<std::string> ids = idx_.Ids(q);
      ASSERT_FALSE(ids.empty()) << q;
      EXPECT_EQ(ids[0], c.want) << q;
    }
  }
  SearchIndex idx_;
};

TEST_F(Ranking, QuestionsFindTheParagraphThatAnswers) {
  for (const Case& c : kQuestions) ExpectFirst(c);
}

TEST_F(Ranking, HeadlinesFindTheirArticle) {
  for (const Case& c : kHeadlines) ExpectFirst(c);
}

}  // namespace
}  // namespace tim::testing
