#include "analysis/reference.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include <limits>
#include <string>
#include <vector>

#include "analysis/analysis_builder.h"
#include "analysis/char_class.h"
#include "analysis/word_forms.h"

namespace tim::analysis {

namespace {

bool IsMark(CharClass c) { return c == CharClass::kMark || c == CharClass::kOtherMark; }

}  // namespace

Status ReferenceAnalyze(std::string_view text, const AnalyzerOptions& options, Analysis* out) {
  out->Clear();
  if (text.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return Status::InvalidArgument("text too long for the reference analyzer");
  }
  // The options exactly as the Analyzer would use them (it clamps some).
  const AnalyzerOptions opts = Analyzer(options).options();

  // Decode, one U+FFFD per maximal ill-formed subpart.
  UErrorCode err = U_ZERO_ERROR;
  int32_t units = 0, substitutions = 0;
  u_strFromUTF8WithSub(nullptr, 0, &units, text.data(), static_cast<int32_t>(text.size()), 0xFFFD,
                       &substitutions, &err);
  err = U_ZERO_ERROR;
  icu::UnicodeString decoded;
  UChar* buf = decoded.getBuffer(units + 1);
  u_strFromUTF8WithSub(buf, units + 1, &units, text.data(), static_cast<int32_t>(text.size()),
                       0xFFFD, &substitutions, &err);
  decoded.releaseBuffer(units);
  if (U_FAILURE(err)) return Status::InvalidArgument(u_errorName(err));
  if (substitutions > 0 && opts.strict_utf8) {
    return Status::InvalidArgument("invalid UTF-8");
  }

  icu::UnicodeString kept;
  for (int32_t i = 0; i < decoded.length(); i = decoded.moveIndex32(i, 1)) {
    const UChar32 c = decoded.char32At(i);
    if (!u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) kept.append(c);
  }
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  const icu::UnicodeString s = nfc->normalize(kept, err);
  if (U_FAILURE(err)) return Status::InvalidArgument(u_errorName(err));

  AnalysisBuilder builder(opts, out);
  for (int32_t i = 0; i < substitutions; ++i) builder.AddInvalidUtf8();
  LetterRun scratch(opts.max_token_bytes);
  enum class Run { kNone, kNormal, kComplex } run = Run::kNone;
  int32_t run_start = 0;
  auto add = [&](const icu::UnicodeString& word) {
    builder.AddWord(0, 0, FormsWithIcu(word, opts.max_token_bytes, &scratch, builder.buffer()));
  };
  auto end_run = [&](int32_t at) {
    if (run == Run::kNormal) {
      add(s.tempSubStringBetween(run_start, at));
    } else if (run == Run::kComplex) {
      const icu::UnicodeString piece = s.tempSubStringBetween(run_start, at);
      const std::vector<int32_t> bounds = SegmentComplex(piece);
      for (std::size_t b = 0; b + 1 < bounds.size(); ++b) {
        add(piece.tempSubStringBetween(bounds[b], bounds[b + 1]));
      }
    }
    run = Run::kNone;
  };

  int32_t i = 0;
  for (; i < s.length(); i = s.moveIndex32(i, 1)) {
    const UChar32 c = s.char32At(i);
    const CharClass cls = ClassifyWithIcu(static_cast<char32_t>(c));
    if (IsWordClass(cls)) {
      if (run != Run::kNormal) {
        end_run(i);
        run = Run::kNormal;
        run_start = i;
      }
    } else if (IsMark(cls)) {
      if (run == Run::kComplex) end_run(i);
    } else if (cls == CharClass::kComplex) {
      if (run != Run::kComplex) {
        end_run(i);
        run = Run::kComplex;
        run_start = i;
      }
    } else if (cls == CharClass::kIdeograph) {
      end_run(i);
      add(icu::UnicodeString(c));
    } else {
      end_run(i);
      builder.AddSeparator(cls);
    }
  }
  end_run(i);
  builder.Finish();
  return Status::OK();
}

}  // namespace tim::analysis
