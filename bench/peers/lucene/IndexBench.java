// Indexing peer benchmark: Apache Lucene, one indexing thread.
//
// Reads JSONL documents ({"id": ..., "title": ..., "body": ..., ...}, one
// object per line) from standard input and indexes them into a new index in
// the directory given as the only argument. Prints one JSON line to stdout:
//
//   {"engine":"lucene-X.Y.Z","docs":N,"text_bytes":B,"seconds":S,"mb_per_s":R,
//    "index_bytes":I,"postings_bytes":P,"stored_bytes":F}
//
// text_bytes counts the UTF-8 bytes of title + body. postings_bytes is the
// doc, position and term dictionary files (.doc .pos .tim .tip, plus .tmd, the
// term dictionary metadata that Lucene 8.6+ split out of .tim/.tip);
// stored_bytes is the stored fields (.fdt .fdx .fdm).
//
// Run it through bench/peer_index.sh, which compiles this file and pipes the
// corpus in from a separate `zstd -dc` process.

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public final class IndexBench {

  /**
   * StandardTokenizer (UAX#29 words) + lower case + ASCII folding. Lucene's
   * ICU analysis module does not work with Debian's icu4j data, so this is
   * the closest stock chain: folding strips Vietnamese tone marks and
   * diacritics (including đ -> d) the way ICU folding would.
   */
  static final class FoldingAnalyzer extends Analyzer {
    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      StandardTokenizer source = new StandardTokenizer();
      TokenStream result = new ASCIIFoldingFilter(new LowerCaseFilter(source));
      return new TokenStreamComponents(source, result);
    }
  }

  // The configuration both harnesses index with: a new index, the folding
  // analyzer, a 256 MB RAM buffer, no compound files.
  static IndexWriterConfig writerConfig() {
    IndexWriterConfig config = new IndexWriterConfig(new FoldingAnalyzer());
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    config.setRAMBufferSizeMB(256);
    config.setUseCompoundFile(false);
    // setUseCompoundFile only covers flushed segments; merged segments follow
    // the merge policy, which by default packs small merges into .cfs files.
    TieredMergePolicy mergePolicy = new TieredMergePolicy();
    mergePolicy.setNoCFSRatio(0.0);
    config.setMergePolicy(mergePolicy);
    return config;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java IndexBench INDEX_DIR < docs.jsonl");
      System.exit(2);
    }
    Path indexDir = Paths.get(args[0]);

    IndexWriterConfig config = writerConfig();

    // One Document and its Fields are reused for every input line, as in
    // Lucene's own indexing benchmarks. Positions are indexed (the default
    // for TextField); title and body are not stored.
    Field id = new StringField("id", "", Field.Store.YES);
    Field title = new TextField("title", "", Field.Store.NO);
    Field body = new TextField("body", "", Field.Store.NO);
    Document doc = new Document();
    doc.add(id);
    doc.add(title);
    doc.add(body);

    BufferedReader in = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 20);
    long docs;
    long[] textBytes = {0};  // updated inside the lambda

    // The clock runs from opening the writer (on an empty directory: a few
    // ms) to the end of commit + close, which waits for pending merges. It
    // includes reading and parsing stdin; JVM start is outside it, and
    // decompression runs in the separate zstd process that feeds the pipe.
    long start = System.nanoTime();
    try (FSDirectory dir = FSDirectory.open(indexDir);
         IndexWriter writer = new IndexWriter(dir, config)) {
      docs = readDocs(in, fields -> {
        String t = fields.getOrDefault("title", "");
        String b = fields.getOrDefault("body", "");
        id.setStringValue(fields.getOrDefault("id", ""));
        title.setStringValue(t);
        body.setStringValue(b);
        writer.addDocument(doc);
        textBytes[0] += utf8Length(t) + utf8Length(b);
      });
      writer.commit();
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    long indexBytes = 0;
    long postingsBytes = 0;
    long storedBytes = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(indexDir)) {
      for (Path file : files) {
        long size = Files.size(file);
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        indexBytes += size;
        switch (ext) {
          case "doc": case "pos": case "tim": case "tip": case "tmd":
            postingsBytes += size;
            break;
          case "fdt": case "fdx": case "fdm":
            storedBytes += size;
            break;
          default:
            break;
        }
      }
    }

    System.out.println(String.format(Locale.ROOT,
        "{\"engine\":\"lucene-%s\",\"docs\":%d,\"text_bytes\":%d,\"seconds\":%.3f,"
            + "\"mb_per_s\":%.2f,\"index_bytes\":%d,\"postings_bytes\":%d,\"stored_bytes\":%d}",
        Version.LATEST, docs, textBytes[0], seconds, textBytes[0] / 1e6 / seconds,
        indexBytes, postingsBytes, storedBytes));
  }

  /** UTF-8 length of a Java string; a surrogate pair is one 4-byte character. */
  interface DocConsumer {
    void accept(Map<String, String> fields) throws IOException;
  }

  // Reads JSONL documents from `in` (blank lines skipped), passing each one's
  // string members to `consumer`; a malformed line fails naming its number.
  // Returns the number of documents.
  static long readDocs(BufferedReader in, DocConsumer consumer) throws IOException {
    JsonLine parser = new JsonLine();
    String line;
    long lineNo = 0;
    long docs = 0;
    while ((line = in.readLine()) != null) {
      ++lineNo;
      if (line.isEmpty()) continue;
      Map<String, String> fields;
      try {
        fields = parser.parse(line);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("stdin line " + lineNo + ": " + e.getMessage(), e);
      }
      consumer.accept(fields);
      ++docs;
    }
    return docs;
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); ++i) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        ++i;
      } else {
        n += 3;  // includes a lone surrogate, which UTF-8 cannot encode
      }
    }
    return n;
  }

  /**
   * Parses one JSON object per call and returns its members whose values are
   * strings. Members with other values (numbers, literals, arrays, objects)
   * are checked for shape and skipped. Not a validating parser for numbers.
   */
  static final class JsonLine {
    private final StringBuilder buf = new StringBuilder();
    private String s;
    private int pos;

    Map<String, String> parse(String line) {
      s = line;
      pos = 0;
      Map<String, String> out = new HashMap<>();
      skipSpace();
      expect('{');
      skipSpace();
      if (peek() == '}') {
        ++pos;
      } else {
        while (true) {
          skipSpace();
          String key = readString();
          skipSpace();
          expect(':');
          skipSpace();
          if (peek() == '"') {
            out.put(key, readString());
          } else {
            skipValue();
          }
          skipSpace();
          if (peek() == ',') {
            ++pos;
          } else {
            expect('}');
            break;
          }
        }
      }
      skipSpace();
      if (pos != s.length()) throw error("trailing characters after the object");
      return out;
    }

    /** Reads a string starting at the opening quote and decodes its escapes. */
    private String readString() {
      expect('"');
      buf.setLength(0);
      while (true) {
        if (pos >= s.length()) throw error("unterminated string");
        char c = s.charAt(pos++);
        if (c == '"') return buf.toString();
        if (c < 0x20) throw error("control character in string");
        if (c != '\\') {
          buf.append(c);
          continue;
        }
        if (pos >= s.length()) throw error("unterminated escape");
        char e = s.charAt(pos++);
        switch (e) {
          case '"': buf.append('"'); break;
          case '\\': buf.append('\\'); break;
          case '/': buf.append('/'); break;
          case 'b': buf.append('\b'); break;
          case 'f': buf.append('\f'); break;
          case 'n': buf.append('\n'); break;
          case 'r': buf.append('\r'); break;
          case 't': buf.append('\t'); break;
          // A "u" escape (backslash, u, 4 hex digits) is one UTF-16 code unit,
          // so a surrogate pair written as two escapes comes out as the same
          // pair in the Java string. (javac reads a literal backslash-u even
          // in comments, hence the spelling.)
          case 'u': buf.append(readHex4()); break;
          default: throw error("bad escape \\" + e);
        }
      }
    }

    private char readHex4() {
      if (pos + 4 > s.length()) throw error("short \\u escape");
      int v = 0;
      for (int i = 0; i < 4; ++i) {
        int d = Character.digit(s.charAt(pos++), 16);
        if (d < 0) throw error("bad hex digit in \\u escape");
        v = (v << 4) | d;
      }
      return (char) v;
    }

    /** Skips a non-string value: number, true/false/null, array or object. */
    private void skipValue() {
      char c = peek();
      if (c == '[' || c == '{') {
        char close = c == '[' ? ']' : '}';
        ++pos;
        skipSpace();
        if (peek() == close) {
          ++pos;
          return;
        }
        while (true) {
          skipSpace();
          if (close == '}') {
            readString();
            skipSpace();
            expect(':');
            skipSpace();
          }
          if (peek() == '"') readString(); else skipValue();
          skipSpace();
          if (peek() == ',') {
            ++pos;
          } else {
            expect(close);
            return;
          }
        }
      }
      int begin = pos;
      while (pos < s.length() && "+-.0123456789eEtrufalsn".indexOf(s.charAt(pos)) >= 0) ++pos;
      if (pos == begin) throw error("unexpected character '" + c + "'");
    }

    private char peek() {
      if (pos >= s.length()) throw error("unexpected end of line");
      return s.charAt(pos);
    }

    private void expect(char c) {
      if (peek() != c) throw error("expected '" + c + "'");
      ++pos;
    }

    private void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        ++pos;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at column " + (pos + 1));
    }
  }
}
