/* The C API as a C program uses it: C99, built with -pedantic -Werror.
 * Writes an index of Vietnamese documents, searches it with and without
 * accents, reads documents back, and checks that bad input (NULL, invalid
 * UTF-8, a second writer, absurd k) gets an error code and a message, never
 * a crash. Usage: c_api_test DIR (DIR must not exist yet). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tim/tim.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* Checks a failing call's code and that its message (*msgp, read after the
 * call: argument order is unspecified) mentions `part`. */
static void expect_error(int got, int want, char** msgp, const char* part, int line) {
  char* msg = *msgp;
  *msgp = NULL;
  if (got != want) {
    fprintf(stderr, "line %d: code %s, want %s (%s)\n", line, tim_code_name(got),
            tim_code_name(want), msg ? msg : "no message");
    ++failures;
  } else if (msg == NULL || strstr(msg, part) == NULL) {
    fprintf(stderr, "line %d: message \"%s\" does not say \"%s\"\n", line, msg ? msg : "(null)",
            part);
    ++failures;
  }
  tim_free(msg);
}

static int add(tim_writer* w, const char* id, const char* title, const char* body) {
  tim_field f[2];
  f[0].name = "title";
  f[0].name_len = 5;
  f[0].value = title;
  f[0].value_len = strlen(title);
  f[1].name = "body";
  f[1].name_len = 4;
  f[1].value = body;
  f[1].value_len = strlen(body);
  return tim_writer_add(w, id, strlen(id), f, 2, NULL);
}

/* Counts matches; stops after `stop` of them when stop > 0. */
struct walk {
  int calls, stop, saw_qn;
};
static int count_match(void* ctx, const char* id, size_t id_len, double score) {
  struct walk* w = (struct walk*)ctx;
  ++w->calls;
  if (id_len == 2 && memcmp(id, "qn", 2) == 0 && score > 0) w->saw_qn = 1;
  return w->stop == 0 || w->calls < w->stop;
}

int main(int argc, char** argv) {
  tim_writer *w = NULL, *w2 = NULL;
  tim_reader *r = NULL, *r2 = NULL;
  tim_results* res = NULL;
  tim_document* doc = NULL;
  char* msg = NULL;
  const char* dir;
  size_t i;
  if (argc != 2) return 2;
  dir = argv[1];

  CHECK(strcmp(tim_version(), "0.0.0") != 0);
  CHECK(TIM_VERSION_AT_LEAST(0, 0, 1));
  CHECK(strcmp(tim_code_name(TIM_BUSY), "Busy") == 0);

  /* No index yet, and not created. */
  expect_error(tim_writer_open(dir, 0, &w, &msg), TIM_NOT_FOUND, &msg, dir, __LINE__);
  CHECK(w == NULL);
  expect_error(tim_reader_open(dir, &r, &msg), TIM_NOT_FOUND, &msg, dir, __LINE__);

  CHECK(tim_writer_open(dir, 1, &w, &msg) == TIM_OK && msg == NULL);
  CHECK(add(w, "hn", "Hà Nội mùa thu", "Hà Nội đón khách du lịch, phố cổ đông vui") == TIM_OK);
  CHECK(add(w, "dn", "Đà Nẵng", "Thành phố Đà Nẵng đón khách mùa hè") == TIM_OK);
  CHECK(add(w, "qn", "Quảng Nam", "Nông dân gieo giống lúa, người ta ướp cá") == TIM_OK);
  CHECK(add(w, "old", "cũ", "bản cũ sẽ bị xoá") == TIM_OK);
  CHECK(tim_writer_delete(w, "old", 3, NULL) == TIM_OK);

  /* Bad documents are refused, the writer goes on. */
  {
    tim_field bad;
    bad.name = "body";
    bad.name_len = 4;
    bad.value = "gi\xff\xfeng";
    bad.value_len = 6;
    expect_error(tim_writer_add(w, "x", 1, &bad, 1, &msg), TIM_INVALID_ARGUMENT, &msg,
                 "invalid UTF-8 at byte 2", __LINE__);
    expect_error(tim_writer_add(w, "", 0, NULL, 0, &msg), TIM_INVALID_ARGUMENT, &msg, "id",
                 __LINE__);
    expect_error(tim_writer_add(w, "x", 1, NULL, 3, &msg), TIM_INVALID_ARGUMENT, &msg, "fields",
                 __LINE__);
    expect_error(tim_writer_add(NULL, "x", 1, NULL, 0, &msg), TIM_INVALID_ARGUMENT, &msg, "writer",
                 __LINE__);
    expect_error(tim_writer_add(w, NULL, 5, NULL, 0, &msg), TIM_INVALID_ARGUMENT, &msg, "id",
                 __LINE__);
  }
  expect_error(tim_writer_open(dir, 1, &w2, &msg), TIM_BUSY, &msg, "", __LINE__);
  CHECK(tim_writer_commit(w, &msg) == TIM_OK);
  tim_writer_close(w);
  w = NULL;

  CHECK(tim_reader_open(dir, &r, &msg) == TIM_OK);
  CHECK(tim_reader_num_docs(r) == 3);

  /* Without accents: finds Hà Nội, suggests the accents. */
  CHECK(tim_search(r, "ha noi", 6, 10, 0, 0, &res, &msg) == TIM_OK);
  if (res != NULL) {
    CHECK(res->hit_count == 1 && res->total_hits == 1 && res->total_hits_exact);
    CHECK(strcmp(res->suggestion, "hà nội") == 0);
    CHECK(res->suggestion_len == strlen("hà nội"));
    if (res->hit_count == 1) {
      const tim_hit* h = &res->hits[0];
      CHECK(h->id_len == 2 && memcmp(h->id, "hn", 2) == 0);
      CHECK(h->score > 0);
      CHECK(strcmp(h->title, "Hà Nội mùa thu") == 0);
      CHECK(h->highlight_count >= 2);
      for (i = 0; i < h->highlight_count; ++i) {
        CHECK(h->highlights[i].start < h->highlights[i].end);
        CHECK(h->highlights[i].end <= h->snippet_len);
      }
      if (h->highlight_count >= 1) {
        CHECK(memcmp(h->snippet + h->highlights[0].start, "Hà", strlen("Hà")) == 0);
      }
    }
    tim_results_free(res);
    res = NULL;
  }
  /* With accents, AND, paging, no snippets. */
  CHECK(tim_search(r, "đón khách", strlen("đón khách"), 1, 1,
                   TIM_SEARCH_AND | TIM_SEARCH_NO_SNIPPETS, &res, NULL) == TIM_OK);
  if (res != NULL) {
    CHECK(res->total_hits == 2 && res->hit_count == 1);
    CHECK(res->hit_count == 1 && res->hits[0].snippet_len == 0 && res->hits[0].title_len == 0);
    CHECK(res->suggestion_len == 0);
    tim_results_free(res);
    res = NULL;
  }
  /* The query language, and raw text with no operators. */
  CHECK(tim_search(r, "đón -title:\"Đà Nẵng\"", strlen("đón -title:\"Đà Nẵng\""), 10, 0, 0, &res,
                   NULL) == TIM_OK);
  if (res != NULL) {
    CHECK(res->hit_count == 1 && strcmp(res->hits[0].id, "hn") == 0);
    tim_results_free(res);
    res = NULL;
  }
  CHECK(tim_search_text(r, "-lúa (ướp)", strlen("-lúa (ướp)"), 10, 0, 0, &res, NULL) == TIM_OK);
  if (res != NULL) {
    CHECK(res->hit_count == 1 && strcmp(res->hits[0].id, "qn") == 0);
    tim_results_free(res);
    res = NULL;
  }
  /* Telex typed with the input method off is read as what it spells. */
  CHECK(tim_search(r, "ddons khachs", 12, 10, 0, 0, &res, NULL) == TIM_OK);
  if (res != NULL) {
    CHECK(strcmp(res->rewritten, "đón khách") == 0 && res->total_hits == 2);
    tim_results_free(res);
    res = NULL;
  }
  CHECK(tim_search(r, "ddons khachs", 12, 10, 0, TIM_SEARCH_RAW, &res, NULL) == TIM_OK);
  if (res != NULL) {
    CHECK(res->rewritten_len == 0 && res->total_hits == 0);
    tim_results_free(res);
    res = NULL;
  }
  /* Malformed queries are read and noted. */
  CHECK(tim_search(r, "\"mùa thu", strlen("\"mùa thu"), 10, 0, 0, &res, NULL) == TIM_OK);
  if (res != NULL) {
    CHECK(res->note_count == 1 && strstr(res->notes[0], "unbalanced quote") != NULL);
    tim_results_free(res);
    res = NULL;
  }
  /* Bad searches. */
  expect_error(tim_search(r, "h\xc3", 2, 10, 0, 0, &res, &msg), TIM_INVALID_ARGUMENT, &msg,
               "invalid UTF-8", __LINE__);
  CHECK(res == NULL);
  expect_error(tim_search(r, "-hà", strlen("-hà"), 10, 0, 0, &res, &msg), TIM_INVALID_ARGUMENT,
               &msg, "no word", __LINE__);
  expect_error(tim_search(r, "hà", strlen("hà"), 10000, 1, 0, &res, &msg), TIM_INVALID_ARGUMENT,
               &msg, "10000", __LINE__);
  expect_error(tim_search(r, "hà", strlen("hà"), 10, 0, 64, &res, &msg), TIM_INVALID_ARGUMENT, &msg,
               "flags", __LINE__);
  expect_error(tim_search(NULL, "hà", 3, 10, 0, 0, &res, &msg), TIM_INVALID_ARGUMENT, &msg,
               "reader", __LINE__);
  expect_error(tim_search(r, "hà", 3, 10, 0, 0, NULL, &msg), TIM_INVALID_ARGUMENT, &msg, "out",
               __LINE__);

  /* Every match, and stopping early. */
  {
    struct walk all = {0, 0, 0}, one = {0, 1, 0};
    CHECK(tim_for_each_match(r, "đón lúa", strlen("đón lúa"), 0, count_match, &all, NULL) ==
          TIM_OK);
    CHECK(all.calls == 3 && all.saw_qn);
    CHECK(tim_for_each_match(r, "đón khách", strlen("đón khách"), TIM_SEARCH_AND, count_match, &one,
                             NULL) == TIM_OK);
    CHECK(one.calls == 1);
    expect_error(tim_for_each_match(r, "hà", 3, 0, NULL, NULL, &msg), TIM_INVALID_ARGUMENT, &msg,
                 "visit", __LINE__);
    expect_error(tim_for_each_match(r, "hà", 3, TIM_SEARCH_NO_SNIPPETS, count_match, &all, &msg),
                 TIM_INVALID_ARGUMENT, &msg, "flags", __LINE__);
  }
  /* Stored documents. */
  CHECK(tim_get_document(r, "qn", 2, &doc, &msg) == TIM_OK);
  if (doc != NULL) {
    CHECK(doc->field_count == 2);
    CHECK(strcmp(doc->fields[0].name, "title") == 0 &&
          strcmp(doc->fields[0].value, "Quảng Nam") == 0);
    CHECK(doc->fields[1].value_len == strlen("Nông dân gieo giống lúa, người ta ướp cá"));
    tim_document_free(doc);
    doc = NULL;
  }
  expect_error(tim_get_document(r, "old", 3, &doc, &msg), TIM_NOT_FOUND, &msg, "old", __LINE__);

  /* A reader keeps its commit; a reopened one sees the next. */
  CHECK(tim_writer_open(dir, 0, &w, NULL) == TIM_OK);
  CHECK(add(w, "gi", "Giá vàng", "giá vàng tăng") == TIM_OK);
  CHECK(tim_writer_commit(w, NULL) == TIM_OK);
  tim_writer_close(w);
  CHECK(tim_reader_num_docs(r) == 3);
  CHECK(tim_reader_reopen(r, &r2, NULL) == TIM_OK);
  CHECK(tim_reader_num_docs(r2) == 4);
  tim_reader_close(r);
  r = NULL;

  /* Two shards searched with merged statistics score as one index holding
   * both: shard 1 is the index above (hn, dn, qn, gi), shard 2 two more
   * documents, and "all" the six together. */
  {
    char shard2[4096], all[4096], jsonl[4096];
    tim_reader *s2 = NULL, *ra = NULL;
    tim_results *one = NULL, *part[2] = {NULL, NULL};
    char *st[2] = {NULL, NULL}, *merged = NULL, *other = NULL;
    size_t st_len[2] = {0, 0}, merged_len = 0, other_len = 0;
    const char* blobs[2];
    const char* docs[6][3] = {{"hn", "Hà Nội mùa thu", "Hà Nội đón khách du lịch, phố cổ đông vui"},
                              {"dn", "Đà Nẵng", "Thành phố Đà Nẵng đón khách mùa hè"},
                              {"qn", "Quảng Nam", "Nông dân gieo giống lúa, người ta ướp cá"},
                              {"gi", "Giá vàng", "giá vàng tăng"},
                              {"hn2", "Hà Nội", "Hà Nội mưa"},
                              {"hp", "Hải Phòng", "thành phố cảng Hải Phòng"}};
    FILE* f;
    tim_jsonl* j = NULL;
    int n = 0, bad = 0;
    snprintf(shard2, sizeof shard2, "%s-shard2", dir);
    snprintf(all, sizeof all, "%s-all", dir);
    CHECK(tim_writer_open(shard2, 1, &w, NULL) == TIM_OK);
    CHECK(add(w, docs[4][0], docs[4][1], docs[4][2]) == TIM_OK);
    CHECK(add(w, docs[5][0], docs[5][1], docs[5][2]) == TIM_OK);
    CHECK(tim_writer_commit(w, NULL) == TIM_OK);
    tim_writer_close(w);
    CHECK(tim_writer_open(all, 1, &w, NULL) == TIM_OK);
    for (i = 0; i < 6; ++i) CHECK(add(w, docs[i][0], docs[i][1], docs[i][2]) == TIM_OK);
    /* As in shard 1: a deleted document counts until a merge drops it. */
    CHECK(add(w, "old", "cũ", "bản cũ sẽ bị xoá") == TIM_OK);
    CHECK(tim_writer_delete(w, "old", 3, NULL) == TIM_OK);
    CHECK(tim_writer_commit(w, NULL) == TIM_OK);
    tim_writer_close(w);
    CHECK(tim_reader_open(all, &ra, NULL) == TIM_OK);
    CHECK(tim_reader_open(shard2, &s2, NULL) == TIM_OK);
    CHECK(tim_search(ra, "ha noi", 6, 10, 0, 0, &one, NULL) == TIM_OK);
    CHECK(tim_gather_stats(r2, "ha noi", 6, 0, &st[0], &st_len[0], &msg) == TIM_OK);
    CHECK(tim_gather_stats(s2, "ha noi", 6, 0, &st[1], &st_len[1], &msg) == TIM_OK);
    blobs[0] = st[0];
    blobs[1] = st[1];
    CHECK(tim_merge_stats(blobs, st_len, 2, &merged, &merged_len, &msg) == TIM_OK);
    CHECK(tim_search_with_stats(r2, "ha noi", 6, 10, 0, 0, merged, merged_len, &part[0], &msg) ==
          TIM_OK);
    CHECK(tim_search_with_stats(s2, "ha noi", 6, 10, 0, 0, merged, merged_len, &part[1], &msg) ==
          TIM_OK);
    if (one != NULL && part[0] != NULL && part[1] != NULL) {
      CHECK(one->total_hits == 2 && part[0]->total_hits + part[1]->total_hits == 2);
      CHECK(part[0]->hit_count == 1 && part[1]->hit_count == 1);
      CHECK(strcmp(part[0]->suggestion, one->suggestion) == 0);
      for (i = 0; i < one->hit_count && part[0]->hit_count == 1 && part[1]->hit_count == 1; ++i) {
        const tim_hit* h = &one->hits[i];
        const tim_hit* p = strcmp(h->id, "hn") == 0 ? &part[0]->hits[0] : &part[1]->hits[0];
        CHECK(strcmp(h->id, p->id) == 0);
        CHECK(h->score - p->score < 1e-6 && p->score - h->score < 1e-6);
      }
      /* Shard 2's own statistics score differently: the check can fail. */
      tim_results_free(part[1]);
      CHECK(tim_search(s2, "ha noi", 6, 10, 0, 0, &part[1], NULL) == TIM_OK);
      CHECK(part[1]->hit_count == 1 && part[1]->hits[0].score != one->hits[1].score &&
            part[1]->hits[0].score != one->hits[0].score);
    }
    /* Query then fetch: ids and scores from each shard, merged, then the
     * kept hits' titles and snippets from the shard holding each, as the
     * one index shows them. */
    {
      char* ans[2] = {NULL, NULL};
      size_t ans_len[2] = {0, 0};
      tim_results *m = NULL, *fetched = NULL;
      CHECK(tim_search_shard(r2, "ha noi", 6, 10, 0, TIM_SEARCH_NO_SNIPPETS, merged, merged_len,
                             &ans[0], &ans_len[0], &msg) == TIM_OK);
      CHECK(tim_search_shard(s2, "ha noi", 6, 10, 0, TIM_SEARCH_NO_SNIPPETS, merged, merged_len,
                             &ans[1], &ans_len[1], &msg) == TIM_OK);
      CHECK(tim_merge_shards((const char* const*)ans, ans_len, 2, 10, 0, 0, &m, &msg) == TIM_OK);
      if (m != NULL && one != NULL && ans[0] != NULL && ans[1] != NULL) {
        CHECK(m->hit_count == one->hit_count && m->total_hits == one->total_hits);
        CHECK(m->shards != NULL && strcmp(m->suggestion, one->suggestion) == 0);
        for (i = 0; i < m->hit_count && i < one->hit_count && m->shards != NULL; ++i) {
          const tim_hit* h = &m->hits[i];
          const double score = h->score;
          CHECK(m->shards[i] < 2);
          CHECK(strcmp(h->id, one->hits[i].id) == 0 && h->score == one->hits[i].score);
          CHECK(h->snippet_len == 0 && h->title_len == 0);
          CHECK(tim_fetch(m->shards[i] == 0 ? r2 : s2, "ha noi", 6, 0, merged, merged_len, &h->id,
                          &h->id_len, &score, 1, &fetched, &msg) == TIM_OK);
          if (fetched != NULL) {
            CHECK(fetched->hit_count == 1 && fetched->hits[0].score == one->hits[i].score);
            CHECK(strcmp(fetched->hits[0].title, one->hits[i].title) == 0);
            CHECK(strcmp(fetched->hits[0].snippet, one->hits[i].snippet) == 0);
            CHECK(fetched->hits[0].highlight_count == one->hits[i].highlight_count &&
                  fetched->hits[0].highlight_count > 0);
          }
          tim_results_free(fetched);
          fetched = NULL;
        }
        /* Fetched from the shard that does not hold it: named. */
        if (m->hit_count > 0 && m->shards != NULL) {
          expect_error(tim_fetch(m->shards[0] == 0 ? s2 : r2, "ha noi", 6, 0, merged, merged_len,
                                 &m->hits[0].id, &m->hits[0].id_len, NULL, 1, &fetched, &msg),
                       TIM_NOT_FOUND, &msg, m->hits[0].id, __LINE__);
          CHECK(fetched == NULL);
        }
        /* A damaged answer is named. */
        ans[1][ans_len[1] / 2] ^= 0x40;
        tim_results_free(m);
        m = NULL;
        expect_error(tim_merge_shards((const char* const*)ans, ans_len, 2, 10, 0, 0, &m, &msg),
                     TIM_CORRUPTION, &msg, "answer 1", __LINE__);
        CHECK(m == NULL);
      }
      tim_results_free(m);
      tim_free(ans[0]);
      tim_free(ans[1]);
    }
    /* Damaged statistics are refused, naming which; statistics of another
     * query name what they lack. */
    tim_results_free(part[0]);
    part[0] = NULL;
    merged[merged_len / 2] ^= 0x40;
    expect_error(
        tim_search_with_stats(r2, "ha noi", 6, 10, 0, 0, merged, merged_len, &part[0], &msg),
        TIM_CORRUPTION, &msg, "checksum", __LINE__);
    expect_error(
        tim_merge_stats((const char* const*)&merged, &merged_len, 1, &other, &other_len, &msg),
        TIM_CORRUPTION, &msg, "statistics 0", __LINE__);
    tim_free(other);
    expect_error(tim_search_with_stats(r2, "đà nẵng", strlen("đà nẵng"), 10, 0, 0, st[0], st_len[0],
                                       &part[0], &msg),
                 TIM_INVALID_ARGUMENT, &msg, "lack", __LINE__);
    CHECK(part[0] == NULL);
    expect_error(tim_gather_stats(r2, "ha noi", 6, 1024u, &other, &other_len, &msg),
                 TIM_INVALID_ARGUMENT, &msg, "flags", __LINE__);
    CHECK(other == NULL);
    tim_results_free(one);
    tim_results_free(part[1]);
    tim_free(st[0]);
    tim_free(st[1]);
    tim_free(merged);
    tim_reader_close(ra);
    tim_reader_close(s2);

    /* JSON Lines as `tim index` reads them: a bad line is named and skipped. */
    snprintf(jsonl, sizeof jsonl, "%s-docs.jsonl", dir);
    f = fopen(jsonl, "w");
    CHECK(f != NULL);
    if (f != NULL) {
      fputs(
          "{\"id\": \"a\", \"title\": \"Hà Nội\", \"views\": 3}\n{broken\n{\"id\": 7, \"body\": "
          "\"giá\"}\n",
          f);
      fclose(f);
    }
    CHECK(tim_jsonl_open(jsonl, &j, &msg) == TIM_OK);
    for (;;) {
      int rc = tim_jsonl_next(j, &doc, &msg);
      if (rc != TIM_OK) {
        CHECK(rc == TIM_INVALID_ARGUMENT && tim_jsonl_line(j) == 2 && strstr(msg, ":2") != NULL);
        tim_free(msg);
        msg = NULL;
        ++bad;
        continue;
      }
      if (doc == NULL) break;
      ++n;
      CHECK(n != 1 || (strcmp(doc->id, "a") == 0 && doc->field_count == 1 &&
                       strcmp(doc->fields[0].value, "Hà Nội") == 0));
      CHECK(n != 2 || (strcmp(doc->id, "7") == 0 && strcmp(doc->fields[0].name, "body") == 0));
      tim_document_free(doc);
      doc = NULL;
    }
    CHECK(n == 2 && bad == 1);
    tim_jsonl_close(j);
    {
      uint64_t added = 0, skipped = 0;
      CHECK(tim_writer_open(shard2, 0, &w, NULL) == TIM_OK);
      expect_error(tim_writer_add_jsonl(w, jsonl, 0, &added, &skipped, &msg), TIM_INVALID_ARGUMENT,
                   &msg, "-docs.jsonl:2", __LINE__);
      CHECK(added == 1 && skipped == 0);
      CHECK(tim_writer_add_jsonl(w, jsonl, 1, &added, &skipped, &msg) == TIM_OK);
      CHECK(added == 2 && skipped == 1);
      CHECK(tim_writer_commit(w, NULL) == TIM_OK);
      tim_writer_close(w);
      CHECK(tim_reader_open(shard2, &s2, NULL) == TIM_OK);
      CHECK(tim_reader_num_docs(s2) == 4);
      CHECK(tim_get_document(s2, "7", 1, &doc, NULL) == TIM_OK);
      tim_document_free(doc);
      doc = NULL;
      tim_reader_close(s2);
    }
    tim_jsonl_close(NULL);
    expect_error(tim_jsonl_open("/nonexistent/x.jsonl", &j, &msg), TIM_IO_ERROR, &msg,
                 "/nonexistent/x.jsonl", __LINE__);
  }
  tim_reader_close(r2);

  /* Typed fields: a schema, JSON values, filters, sort and facets. */
  {
    char typed[4096], jsonl[4096];
    const char* schema = "{\"fields\": {\"category\": \"keyword\", \"price\": \"number\"}}";
    const char* filters[] = {"category = \"Thể thao\"", "price >= 100"};
    const char* facets[] = {"category", "price:* TO 1000,1000 TO *"};
    const char* bad_filters[] = {"gia > 1"};
    const char* bad_schema = "{\"fields\": {\"a\": \"int\"}}";
    tim_search_extras x;
    tim_results* res = NULL;
    tim_writer* tw = NULL;
    tim_reader* tr = NULL;
    FILE* f;
    uint64_t added = 0;
    snprintf(typed, sizeof typed, "%s-typed", dir);
    snprintf(jsonl, sizeof jsonl, "%s-typed.jsonl", dir);
    f = fopen(jsonl, "w");
    CHECK(f != NULL);
    if (f != NULL) {
      fputs(
          "{\"id\": \"a\", \"title\": \"Bóng đá\", \"category\": \"Thể thao\", \"price\": 500}\n"
          "{\"id\": \"b\", \"title\": \"Bóng rổ\", \"category\": [\"Thể thao\", \"Giải trí\"], "
          "\"price\": 2500}\n"
          "{\"id\": \"c\", \"title\": \"Giá vàng\", \"category\": \"Kinh tế\", \"price\": 50}\n",
          f);
      fclose(f);
    }
    expect_error(tim_writer_open_schema(typed, 1, bad_schema, strlen(bad_schema), &tw, &msg),
                 TIM_INVALID_ARGUMENT, &msg, "\"a\"", __LINE__);
    CHECK(tim_writer_open_schema(typed, 1, schema, strlen(schema), &tw, &msg) == TIM_OK);
    CHECK(tim_writer_add_jsonl(tw, jsonl, 0, &added, NULL, &msg) == TIM_OK && added == 3);
    CHECK(tim_writer_commit(tw, NULL) == TIM_OK);
    tim_writer_close(tw);
    CHECK(tim_reader_open(typed, &tr, NULL) == TIM_OK);
    memset(&x, 0, sizeof x);
    x.filters = filters;
    x.filter_count = 2;
    x.sort = "-price";
    x.facets = facets;
    x.facet_count = 2;
    CHECK(tim_search_ex(tr, "", 0, 10, 0, 0, &x, &res, &msg) == TIM_OK);
    if (res != NULL) {
      CHECK(res->hit_count == 2 && res->total_hits == 2);
      CHECK(res->hit_count == 2 && strcmp(res->hits[0].id, "b") == 0 &&
            strcmp(res->hits[1].id, "a") == 0);
      CHECK(res->hit_count == 2 && res->hits[0].sort_value_count == 1 &&
            strcmp(res->hits[0].sort_values[0], "2500") == 0);
      CHECK(res->facet_count == 2 && strcmp(res->facets[0].field, "category") == 0);
      CHECK(res->facet_count == 2 && res->facets[0].count == 2 &&
            strcmp(res->facets[0].counts[0].value, "Thể thao") == 0 &&
            res->facets[0].counts[0].count == 2);
      CHECK(res->facet_count == 2 && res->facets[1].count == 2 &&
            res->facets[1].counts[0].count == 1 && res->facets[1].counts[1].count == 1);
    }
    tim_results_free(res);
    res = NULL;
    x.filters = bad_filters;
    x.filter_count = 1;
    expect_error(tim_search_ex(tr, "bóng", strlen("bóng"), 10, 0, 0, &x, &res, &msg),
                 TIM_INVALID_ARGUMENT, &msg, "unknown field \"gia\"", __LINE__);
    x.filters = NULL;
    expect_error(tim_search_ex(tr, "bóng", strlen("bóng"), 10, 0, 0, &x, &res, &msg),
                 TIM_INVALID_ARGUMENT, &msg, "extras.filters is NULL", __LINE__);
    {
      /* The same filters in the query text, in braces, with plain tim_search. */
      const char* q = "{category = \"Thể thao\"} {price >= 100}";
      CHECK(tim_search(tr, q, strlen(q), 10, 0, 0, &res, &msg) == TIM_OK);
      CHECK(res != NULL && res->total_hits == 2);
      tim_results_free(res);
      res = NULL;
      q = "bóng OR {gia > 1}";
      expect_error(tim_search(tr, q, strlen(q), 10, 0, 0, &res, &msg), TIM_INVALID_ARGUMENT, &msg,
                   "{gia > 1}", __LINE__);
    }
    tim_reader_close(tr);
  }

  tim_reader_close(NULL);
  tim_writer_close(NULL);
  tim_results_free(NULL);
  tim_document_free(NULL);
  tim_free(NULL);

  if (failures == 0) printf("C API: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
