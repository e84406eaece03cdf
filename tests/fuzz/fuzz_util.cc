#include "fuzz/fuzz_util.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "codec/file_format.h"
#include "codec/varint.h"
#include "tim/index.h"

namespace tim::fuzz {

void Init() { codec::IgnoreChecksumsForFuzzing(); }

namespace {

// TIM_FUZZ_WRITE_SEEDS=DIR: writes Seeds() to DIR as seed_0000, ... and exits.
void WriteSeedsIfAsked() {
  const char* dir = std::getenv("TIM_FUZZ_WRITE_SEEDS");
  if (dir == nullptr) return;
  std::filesystem::create_directories(dir);
  const std::vector<std::string> seeds = Seeds();
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/seed_%04zu", i);
    std::ofstream out(std::string(dir) + name, std::ios::binary);
    out.write(seeds[i].data(), static_cast<std::streamsize>(seeds[i].size()));
    if (!out) {
      std::fprintf(stderr, "fuzz: cannot write %s%s\n", dir, name);
      std::exit(1);
    }
  }
  std::printf("fuzz: wrote %zu seeds to %s\n", seeds.size(), dir);
  std::exit(0);
}

}  // namespace

const std::vector<Document>& CorpusDocuments() {
  static const std::vector<Document> docs = [] {
    std::vector<Document> out;
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(TIM_SOURCE_DIR "/corpus")) {
      if (entry.path().extension() == ".txt") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      const std::string all = text.str();
      const std::size_t nl = all.find('\n');
      Document doc;
      doc.id = path.stem().string();
      doc.fields = {{"title", all.substr(0, nl)},
                    {"body", nl == std::string::npos ? std::string() : all.substr(nl + 1)}};
      out.push_back(std::move(doc));
    }
    if (out.empty()) {
      std::fprintf(stderr, "fuzz: no articles in %s/corpus\n", TIM_SOURCE_DIR);
      std::abort();
    }
    return out;
  }();
  return docs;
}

namespace {

class MemWritable : public WritableFile {
 public:
  MemWritable(MemFileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  Status Append(std::string_view data) override {
    std::lock_guard<std::mutex> lock(fs_->mu);
    fs_->files[path_].append(data);
    size_ += data.size();
    return Status::OK();
  }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  std::uint64_t size() const override { return size_; }

 private:
  MemFileSystem* fs_;
  std::string path_;
  std::uint64_t size_ = 0;
};

class MemMapped : public MappedFile {
 public:
  explicit MemMapped(std::string bytes) : bytes_(std::move(bytes)) {}
  const char* data() const override { return bytes_.data(); }
  std::size_t size() const override { return bytes_.size(); }

 private:
  std::string bytes_;
};

class MemLock : public FileLock {
 public:
  MemLock(std::set<std::string>* held, std::mutex* mu, std::string path)
      : held_(held), mu_(mu), path_(std::move(path)) {}
  ~MemLock() override {
    std::lock_guard<std::mutex> lock(*mu_);
    held_->erase(path_);
  }

 private:
  std::set<std::string>* held_;
  std::mutex* mu_;
  std::string path_;
};

// Locks of every MemFileSystem, by path (fuzz targets use one at a time).
std::set<std::string> held_locks;
std::mutex locks_mu;

}  // namespace

Status MemFileSystem::NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) {
  {
    std::lock_guard<std::mutex> lock(mu);
    files[path].clear();
  }
  *out = std::make_unique<MemWritable>(this, path);
  return Status::OK();
}

Status MemFileSystem::MapFile(const std::string& path, std::unique_ptr<MappedFile>* out) {
  std::lock_guard<std::mutex> lock(mu);
  const auto it = files.find(path);
  if (it == files.end()) return Status::NotFound(path + ": no such file");
  *out = std::make_unique<MemMapped>(it->second);
  return Status::OK();
}

Status MemFileSystem::Rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu);
  const auto it = files.find(from);
  if (it == files.end()) return Status::NotFound(from + ": no such file");
  std::string bytes = std::move(it->second);
  files.erase(it);
  files[to] = std::move(bytes);
  return Status::OK();
}

Status MemFileSystem::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu);
  if (files.erase(path) == 0) return Status::NotFound(path + ": no such file");
  return Status::OK();
}

Status MemFileSystem::CreateDir(const std::string&) { return Status::OK(); }

Status MemFileSystem::ListDir(const std::string& dir, std::vector<std::string>* names) {
  std::lock_guard<std::mutex> lock(mu);
  names->clear();
  const std::string prefix = dir + "/";
  for (auto it = files.lower_bound(prefix); it != files.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    const std::string name = it->first.substr(prefix.size());
    if (name.find('/') == std::string::npos) names->push_back(name);
  }
  return Status::OK();
}

Status MemFileSystem::SyncDir(const std::string&) { return Status::OK(); }

Status MemFileSystem::FileSize(const std::string& path, std::uint64_t* size) {
  std::lock_guard<std::mutex> lock(mu);
  const auto it = files.find(path);
  if (it != files.end()) {
    *size = it->second.size();
    return Status::OK();
  }
  // A directory: the prefix of some file's path.
  const auto next = files.lower_bound(path + "/");
  if (next != files.end() && next->first.compare(0, path.size() + 1, path + "/") == 0) {
    *size = 0;
    return Status::OK();
  }
  return Status::NotFound(path + ": no such file");
}

Status MemFileSystem::LockFile(const std::string& path, std::unique_ptr<FileLock>* out) {
  std::lock_guard<std::mutex> lock(locks_mu);
  if (!held_locks.insert(path).second) return Status::Busy(path + ": locked by another writer");
  *out = std::make_unique<MemLock>(&held_locks, &locks_mu, path);
  return Status::OK();
}

std::map<std::string, std::string> SampleIndexFiles(bool many_docs) {
  MemFileSystem fs;
  IndexOptions options;
  options.file_system = &fs;
  options.threads = 1;
  options.store_block_bytes = 4096;  // several stored blocks
  std::vector<Document> docs = CorpusDocuments();
  if (many_docs) {
    std::vector<std::string> paragraphs;
    for (const Document& doc : docs) {
      const std::string& body = doc.fields[1].second;
      for (std::size_t start = 0; start < body.size();) {
        std::size_t end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        if (end > start + 20) paragraphs.push_back(body.substr(start, end - start));
        start = end + 1;
      }
    }
    docs.clear();
    for (std::size_t i = 0; i < 400; ++i) {
      Document doc;
      doc.id = "p" + std::to_string(i);
      std::string title = paragraphs[i % paragraphs.size()];
      std::size_t cut = std::min<std::size_t>(title.size(), 80);
      while (cut > 0 && cut < title.size() && (title[cut] & 0xC0) == 0x80)
        --cut;  // a UTF-8 boundary
      title.resize(cut);
      doc.fields = {{"title", title},
                    {"body", paragraphs[i % paragraphs.size()] + "\n" +
                                 paragraphs[(i * 7 + 3) % paragraphs.size()]}};
      docs.push_back(std::move(doc));
    }
  }
  {
    std::unique_ptr<IndexWriter> writer;
    Status s = IndexWriter::Open("idx", options, &writer);
    for (std::size_t i = 0; s.ok() && i + 1 < docs.size(); ++i) s = writer->AddDocument(docs[i]);
    if (s.ok()) s = writer->Commit();
    // A second segment: the last article, one replaced, one deleted.
    if (s.ok()) s = writer->AddDocument(docs.back());
    if (s.ok()) {
      Document changed = docs[1];
      changed.fields.emplace_back("tags", "Việt Nam, Đà Nẵng, quốc gia");
      s = writer->AddDocument(changed);
    }
    if (s.ok()) s = writer->DeleteDocument(docs[2].id);
    if (s.ok()) s = writer->Commit();
    if (!s.ok()) {
      std::fprintf(stderr, "fuzz: building the sample index: %s\n", s.ToString().c_str());
      std::abort();
    }
  }
  // The seeds must be a sound index, or every target fuzzes error paths only.
  {
    ReaderOptions reader_options;
    reader_options.file_system = &fs;
    std::unique_ptr<IndexReader> reader;
    Status s = IndexReader::Open("idx", reader_options, &reader);
    if (s.ok()) s = reader->Verify();
    if (s.ok() && reader->num_docs() != docs.size() - 1) s = Status::Corruption("wrong count");
    if (!s.ok()) {
      std::fprintf(stderr, "fuzz: the sample index: %s\n", s.ToString().c_str());
      std::abort();
    }
  }
  std::map<std::string, std::string> out;
  for (const auto& [path, bytes] : fs.files) {
    if (path.compare(0, 4, "idx/") == 0 && path != "idx/LOCK") out[path.substr(4)] = bytes;
  }
  return out;
}

std::string SerializeImage(const std::map<std::string, std::string>& files) {
  std::string out;
  for (const auto& [name, bytes] : files) {
    out.push_back(static_cast<char>(name.size()));
    out.append(name, 0, 255);
    codec::PutFixed32(&out, static_cast<std::uint32_t>(bytes.size()));
    out.append(bytes);
  }
  return out;
}

std::map<std::string, std::string> ParseImage(std::string_view image) {
  std::map<std::string, std::string> out;
  while (!image.empty()) {
    const std::size_t name_size = static_cast<std::uint8_t>(image[0]);
    if (image.size() < 1 + name_size + 4) break;
    std::string name(image.substr(1, name_size));
    const std::uint32_t size = codec::DecodeFixed32(image.data() + 1 + name_size);
    image.remove_prefix(1 + name_size + 4);
    if (size > image.size()) break;
    out[std::move(name)] = std::string(image.substr(0, size));
    image.remove_prefix(size);
  }
  return out;
}

std::string Frame(char kind, std::uint32_t version, std::string_view body) {
  std::string out = "tim";
  out.push_back(kind);
  codec::PutFixed32(&out, version);
  out.append(body);
  codec::PutFixed64(&out, codec::Checksum(out));
  out.append("TIM!");
  return out;
}

std::uint32_t TakeU32(std::string_view* in) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4 && !in->empty(); ++i) {
    v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>((*in)[0])) << (8 * i);
    in->remove_prefix(1);
  }
  return v;
}

std::uint8_t TakeU8(std::string_view* in) {
  if (in->empty()) return 0;
  const auto v = static_cast<std::uint8_t>((*in)[0]);
  in->remove_prefix(1);
  return v;
}

}  // namespace tim::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tim::fuzz::Init();
  tim::fuzz::WriteSeedsIfAsked();
  return 0;
}
