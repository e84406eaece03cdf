// Typed-field peer benchmark (issue 25): Apache Lucene with doc values,
// points, FILTER clauses, sorted search and lucene-facet.
//
//   java TypedBench index INDEX_DIR < typed.jsonl
//   java TypedBench search INDEX_DIR QUERIES_TSV CASE RUN_FILE
//
// The corpus is bench/typed_corpus.py's: id, title, body, and the strings
// category (a keyword), words (an integer) and published (a date, for few
// documents).
//
// index: one thread, IndexBench's analyzer and writer settings, then
// forceMerge(1). Fields: id (stored StringField), text (title and body, an
// unstored TextField), category (StringField for filters and a
// SortedSetDocValuesFacetField for facets), words and published (LongPoint
// for ranges and NumericDocValuesField for sorting; published in
// milliseconds since the epoch, UTC). Prints one JSON line with the build
// time, the index size and the bytes of doc values (.dvd/.dvm) and points
// (.kdd/.kdi/.kdm).
//
// search: each query is the fragment's terms as SHOULD clauses (ranked OR,
// as tim's default), and CASE adds:
//   plain       nothing
//   category    FILTER category = "The thao"
//   date        FILTER published in [2003-01-01, 2007-01-01)
//   words       FILTER words in [300, 800]
//   sort_date   sorted by published descending (missing last), then score
//   sort_words  sorted by words descending, then score
//   facet       the top 10 category values over every match (FacetsCollector
//               and SortedSetDocValuesFacetCounts), with the top 10 hits
// Runs every query twice (the first pass warms up and is not reported),
// times the second with System.nanoTime (analysis, search, facet counting,
// reading the 10 stored ids), writes the run file and prints one JSON line
// as SearchBench does.

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public final class TypedBench {

  static final int TOP_K = 10;
  static final String ENGINE = "lucene-" + Version.LATEST;
  static final List<String> CASES =
      Arrays.asList("plain", "category", "date", "words", "sort_date", "sort_words", "facet");

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("index")) {
      index(Paths.get(args[1]));
    } else if (args.length == 5 && args[0].equals("search") && CASES.contains(args[3])) {
      search(Paths.get(args[1]), Paths.get(args[2]), args[3], Paths.get(args[4]));
    } else {
      System.err.println("usage: java TypedBench index INDEX_DIR < typed.jsonl\n"
          + "       java TypedBench search INDEX_DIR QUERIES_TSV " + String.join("|", CASES)
          + " RUN_FILE");
      System.exit(2);
    }
  }

  static long millis(String date) {
    return LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  static void index(Path indexDir) throws IOException {
    FacetsConfig facets = new FacetsConfig();
    BufferedReader in = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 20);
    long docs;
    long start = System.nanoTime();
    long mergeStart;
    try (FSDirectory dir = FSDirectory.open(indexDir);
         IndexWriter writer = new IndexWriter(dir, IndexBench.writerConfig())) {
      docs = IndexBench.readDocs(in, fields -> {
        Document doc = new Document();
        doc.add(new StringField("id", fields.getOrDefault("id", ""), Field.Store.YES));
        doc.add(new TextField("text", fields.getOrDefault("title", ""), Field.Store.NO));
        doc.add(new TextField("text", fields.getOrDefault("body", ""), Field.Store.NO));
        String category = fields.get("category");
        if (category != null) {
          doc.add(new StringField("category", category, Field.Store.NO));
          doc.add(new SortedSetDocValuesFacetField("category", category));
        }
        String words = fields.get("words");
        if (words != null) {
          long n = Long.parseLong(words);
          doc.add(new LongPoint("words", n));
          doc.add(new NumericDocValuesField("words", n));
        }
        String published = fields.get("published");
        if (published != null) {
          long ms = millis(published);
          doc.add(new LongPoint("published", ms));
          doc.add(new NumericDocValuesField("published", ms));
        }
        writer.addDocument(facets.build(doc));
      });
      writer.commit();
      mergeStart = System.nanoTime();
      writer.forceMerge(1);
      writer.commit();
    }
    long end = System.nanoTime();
    long indexBytes = 0, docValuesBytes = 0, pointsBytes = 0;
    try (Stream<Path> files = Files.list(indexDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        long size = Files.size(file);
        String name = file.getFileName().toString();
        indexBytes += size;
        if (name.endsWith(".dvd") || name.endsWith(".dvm")) docValuesBytes += size;
        if (name.endsWith(".kdd") || name.endsWith(".kdi") || name.endsWith(".kdm")) {
          pointsBytes += size;
        }
      }
    }
    System.out.println(String.format(Locale.ROOT,
        "{\"engine\":\"%s\",\"docs\":%d,\"seconds\":%.3f,\"merge_seconds\":%.3f,"
            + "\"index_bytes\":%d,\"doc_values_bytes\":%d,\"points_bytes\":%d}",
        ENGINE, docs, (end - start) / 1e9, (end - mergeStart) / 1e9, indexBytes, docValuesBytes,
        pointsBytes));
  }

  static void search(Path indexDir, Path queriesPath, String mode, Path runPath)
      throws IOException {
    List<String[]> queries = SearchBench.readQueries(queriesPath);
    Analyzer analyzer = new IndexBench.FoldingAnalyzer();
    Set<String> idField = Collections.singleton("id");
    SearchBench.Hits hits = new SearchBench.Hits();
    try (FSDirectory dir = FSDirectory.open(indexDir);
         DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      // Per reader, as an app keeps it (not timed).
      SortedSetDocValuesReaderState state =
          mode.equals("facet") ? new DefaultSortedSetDocValuesReaderState(reader) : null;
      for (String[] q : queries) run(searcher, state, analyzer, mode, idField, q[1], hits);
      double[] ms = new double[queries.size()];
      int hitsFound = 0;
      try (BufferedWriter out = Files.newBufferedWriter(runPath, StandardCharsets.UTF_8)) {
        for (int i = 0; i < queries.size(); ++i) {
          String[] q = queries.get(i);
          long start = System.nanoTime();
          run(searcher, state, analyzer, mode, idField, q[1], hits);
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
          ENGINE, mode, ms.length, mean, SearchBench.quantile(ms, 0.50),
          SearchBench.quantile(ms, 0.99), hitsFound));
    }
  }

  static void run(IndexSearcher searcher, SortedSetDocValuesReaderState state, Analyzer analyzer,
      String mode, Set<String> idField, String text, SearchBench.Hits hits) throws IOException {
    BooleanQuery.Builder words = new BooleanQuery.Builder();
    try (TokenStream tokens = analyzer.tokenStream("text", new StringReader(text))) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        words.add(new TermQuery(new Term("text", term.toString())), BooleanClause.Occur.SHOULD);
      }
      tokens.end();
    }
    Query query = words.build();
    Query filter = null;
    if (mode.equals("category")) filter = new TermQuery(new Term("category", "The thao"));
    if (mode.equals("date")) {
      filter = LongPoint.newRangeQuery("published", millis("2003-01-01"),
          millis("2007-01-01") - 1);
    }
    if (mode.equals("words")) filter = LongPoint.newRangeQuery("words", 300, 800);
    if (filter != null) {
      query = new BooleanQuery.Builder()
                  .add(query, BooleanClause.Occur.MUST)
                  .add(filter, BooleanClause.Occur.FILTER)
                  .build();
    }
    TopDocs top;
    if (mode.equals("sort_date") || mode.equals("sort_words")) {
      SortField field = new SortField(mode.equals("sort_date") ? "published" : "words",
          SortField.Type.LONG, true);
      field.setMissingValue(Long.MIN_VALUE);  // missing last, as tim sorts them
      top = searcher.search(query, TOP_K, new Sort(field, SortField.FIELD_SCORE), true);
    } else if (mode.equals("facet")) {
      FacetsCollector fc = new FacetsCollector();
      top = FacetsCollector.search(searcher, query, TOP_K, fc);
      FacetResult counts = new SortedSetDocValuesFacetCounts(state, fc).getTopChildren(10,
          "category");
      if (counts != null && counts.childCount < 0) throw new IllegalStateException();
    } else {
      top = searcher.search(query, TOP_K);
    }
    hits.size = top.scoreDocs.length;
    for (int r = 0; r < hits.size; ++r) {
      ScoreDoc sd = top.scoreDocs[r];
      hits.ids[r] = searcher.doc(sd.doc, idField).get("id");
      hits.scores[r] = sd.score;
    }
  }
}
