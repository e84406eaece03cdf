// Search peer benchmark: Apache Lucene.
//
//   java SearchBench index INDEX_DIR < docs.jsonl
//   java SearchBench search INDEX_DIR QUERIES_TSV and|or|phrase RUN_FILE
//
// index: builds a new index in INDEX_DIR with one indexing thread and the
// analyzer of IndexBench (StandardTokenizer + LowerCaseFilter +
// ASCIIFoldingFilter): title and body as two values of one unstored
// TextField "text" (with positions), the id as a stored StringField. Same
// writer settings as IndexBench (256 MB RAM buffer, no compound files), then
// forceMerge(1) so that search runs on one segment. Prints one JSON line:
//   {"engine","docs","seconds","merge_seconds","index_bytes","stored_bytes"}
// seconds runs from opening the writer to the end of the final commit and
// includes reading and parsing stdin; merge_seconds is the forceMerge part.
//
// search: runs every query twice; the first pass warms caches (and the JIT)
// and is not reported, the second is timed per query with System.nanoTime.
// A query's time covers analyzing it with the index analyzer, building a
// BooleanQuery of TermQuery clauses (MUST for "and", SHOULD for "or"; for
// "phrase" a PhraseQuery of the terms at their analyzed positions),
// IndexSearcher.search(query, 10) with the default BM25Similarity, and
// reading the 10 stored ids. Writes the second pass's hits to RUN_FILE as
// qid<TAB>rank<TAB>id<TAB>score and prints one JSON line:
//   {"engine","mode","queries","mean_ms","p50_ms","p99_ms","hits_found"}
// exactly as bench/peers/common/peer_bench.h does for the C++ peers.
//
// Compile together with IndexBench.java (it reuses IndexBench.FoldingAnalyzer
// and IndexBench.JsonLine); run it through bench/peer_search.sh.

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public final class SearchBench {

  static final int TOP_K = 10;
  static final String ENGINE = "lucene-" + Version.LATEST;

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("index")) {
      index(Paths.get(args[1]));
    } else if (args.length == 5 && args[0].equals("search")
        && (args[3].equals("and") || args[3].equals("or") || args[3].equals("phrase"))) {
      search(Paths.get(args[1]), Paths.get(args[2]), args[3], Paths.get(args[4]));
    } else {
      System.err.println("usage: java SearchBench index INDEX_DIR < docs.jsonl\n"
          + "       java SearchBench search INDEX_DIR QUERIES_TSV and|or|phrase RUN_FILE");
      System.exit(2);
    }
  }

  static void index(Path indexDir) throws IOException {
    IndexWriterConfig config = IndexBench.writerConfig();

    // Reused for every document, as in IndexBench.
    Field id = new StringField("id", "", Field.Store.YES);
    Field title = new TextField("text", "", Field.Store.NO);
    Field body = new TextField("text", "", Field.Store.NO);
    Document doc = new Document();
    doc.add(id);
    doc.add(title);
    doc.add(body);

    BufferedReader in = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 20);
    long docs;
    long start = System.nanoTime();
    long mergeStart;
    try (FSDirectory dir = FSDirectory.open(indexDir);
         IndexWriter writer = new IndexWriter(dir, config)) {
      docs = IndexBench.readDocs(in, fields -> {
        id.setStringValue(fields.getOrDefault("id", ""));
        title.setStringValue(fields.getOrDefault("title", ""));
        body.setStringValue(fields.getOrDefault("body", ""));
        writer.addDocument(doc);
      });
      writer.commit();
      mergeStart = System.nanoTime();
      writer.forceMerge(1);
      writer.commit();
    }
    long end = System.nanoTime();

    long indexBytes = 0;
    long storedBytes = 0;
    try (Stream<Path> files = Files.list(indexDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        long size = Files.size(file);
        String name = file.getFileName().toString();
        indexBytes += size;
        if (name.endsWith(".fdt") || name.endsWith(".fdx") || name.endsWith(".fdm")) {
          storedBytes += size;
        }
      }
    }
    System.out.println(String.format(Locale.ROOT,
        "{\"engine\":\"%s\",\"docs\":%d,\"seconds\":%.3f,\"merge_seconds\":%.3f,"
            + "\"index_bytes\":%d,\"stored_bytes\":%d}",
        ENGINE, docs, (end - start) / 1e9, (end - mergeStart) / 1e9, indexBytes, storedBytes));
  }

  /** One query's top hits: ids and scores, best first. */
  static final class Hits {
    final String[] ids = new String[TOP_K];
    final float[] scores = new float[TOP_K];
    int size;
  }

  static void search(Path indexDir, Path queriesPath, String mode, Path runPath)
      throws IOException {
    List<String[]> queries = readQueries(queriesPath);
    // null: a phrase.
    BooleanClause.Occur occur = mode.equals("and")  ? BooleanClause.Occur.MUST
                                : mode.equals("or") ? BooleanClause.Occur.SHOULD
                                                    : null;
    Analyzer analyzer = new IndexBench.FoldingAnalyzer();
    Set<String> idField = Collections.singleton("id");
    Hits hits = new Hits();

    try (FSDirectory dir = FSDirectory.open(indexDir);
         DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);

      for (String[] q : queries) {
        run(searcher, analyzer, occur, idField, q[1], hits);
      }

      double[] ms = new double[queries.size()];
      int hitsFound = 0;
      try (BufferedWriter out = Files.newBufferedWriter(runPath, StandardCharsets.UTF_8)) {
        for (int i = 0; i < queries.size(); ++i) {
          String[] q = queries.get(i);
          long start = System.nanoTime();
          run(searcher, analyzer, occur, idField, q[1], hits);
          ms[i] = (System.nanoTime() - start) / 1e6;
          if (hits.size > 0) ++hitsFound;
          for (int r = 0; r < hits.size; ++r) {
            out.write(q[0] + '\t' + (r + 1) + '\t' + hits.ids[r] + '\t' + hits.scores[r] + '\n');
          }
        }
      }

      double mean = 0;
      for (double m : ms) mean += m;
      if (ms.length > 0) mean /= ms.length;
      Arrays.sort(ms);
      System.out.println(String.format(Locale.ROOT,
          "{\"engine\":\"%s\",\"mode\":\"%s\",\"queries\":%d,\"mean_ms\":%.4f,\"p50_ms\":%.4f,"
              + "\"p99_ms\":%.4f,\"hits_found\":%d}",
          ENGINE, mode, ms.length, mean, quantile(ms, 0.50), quantile(ms, 0.99), hitsFound));
    }
  }

  /** Analyzes, searches and fetches the ids of one query into `hits`. */
  static void run(IndexSearcher searcher, Analyzer analyzer, BooleanClause.Occur occur,
      Set<String> idField, String text, Hits hits) throws IOException {
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    PhraseQuery.Builder phrase = new PhraseQuery.Builder();
    try (TokenStream tokens = analyzer.tokenStream("text", new StringReader(text))) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = tokens.addAttribute(PositionIncrementAttribute.class);
      tokens.reset();
      int position = -1;
      while (tokens.incrementToken()) {
        position += increment.getPositionIncrement();
        if (occur == null) {
          phrase.add(new Term("text", term.toString()), position);
        } else {
          query.add(new TermQuery(new Term("text", term.toString())), occur);
        }
      }
      tokens.end();
    }
    // A query that analyzes to no term builds an empty BooleanQuery or
    // PhraseQuery, which matches nothing.
    TopDocs top = searcher.search(occur == null ? phrase.build() : query.build(), TOP_K);
    hits.size = top.scoreDocs.length;
    for (int r = 0; r < hits.size; ++r) {
      ScoreDoc sd = top.scoreDocs[r];
      hits.ids[r] = searcher.doc(sd.doc, idField).get("id");
      hits.scores[r] = sd.score;
    }
  }

  /** Reads qid<TAB>query lines as {qid, query}. */
  static List<String[]> readQueries(Path path) throws IOException {
    List<String[]> queries = new ArrayList<>();
    for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      if (line.isEmpty()) continue;
      int tab = line.indexOf('\t');
      if (tab < 0) throw new IllegalArgumentException(path + ": line without a tab: " + line);
      queries.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
    }
    return queries;
  }

  /** Value at quantile q (0 < q <= 1) of sorted values, nearest-rank method. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) return 0;
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }
}
