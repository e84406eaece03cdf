/* Embedding tim from C: build an index, search with and without accents.
 *   search_c INDEX_DIR */
#include <stdio.h>
#include <string.h>
#include <tim/tim.h>

static int fail(int code, char* msg) {
  fprintf(stderr, "%s: %s\n", tim_code_name(code), msg ? msg : "");
  tim_free(msg);
  return 1;
}

int main(int argc, char** argv) {
  static const char* docs[][3] = {{"hn", "Hà Nội mùa thu", "Hà Nội đón khách du lịch mùa thu"},
                                  {"dn", "Đà Nẵng", "Thành phố Đà Nẵng đón khách mùa hè"},
                                  {"qn", "Quảng Nam", "Nông dân Quảng Nam gieo giống lúa mới"}};
  static const char* queries[] = {"ha noi", "Đà Nẵng"};
  tim_writer* w;
  tim_reader* r;
  char* msg = NULL;
  int rc;
  size_t i, j;
  if (argc != 2) return 2;
  if ((rc = tim_writer_open(argv[1], 1, &w, &msg)) != TIM_OK) return fail(rc, msg);
  for (i = 0; i < 3; ++i) {
    tim_field f[2] = {{"title", 5, NULL, 0}, {"body", 4, NULL, 0}};
    f[0].value = docs[i][1], f[0].value_len = strlen(docs[i][1]);
    f[1].value = docs[i][2], f[1].value_len = strlen(docs[i][2]);
    rc = tim_writer_add(w, docs[i][0], strlen(docs[i][0]), f, 2, &msg);
    if (rc != TIM_OK) return fail(rc, msg);
  }
  rc = tim_writer_commit(w, &msg);
  tim_writer_close(w);
  if (rc != TIM_OK) return fail(rc, msg);

  if ((rc = tim_reader_open(argv[1], &r, &msg)) != TIM_OK) return fail(rc, msg);
  for (i = 0; i < 2; ++i) {
    tim_results* res;
    rc = tim_search(r, queries[i], strlen(queries[i]), 10, 0, 0, &res, &msg);
    if (rc != TIM_OK) return fail(rc, msg);
    printf("%s: %llu hit(s)\n", queries[i], (unsigned long long)res->total_hits);
    if (res->suggestion_len > 0) printf("  did you mean: %s\n", res->suggestion);
    for (j = 0; j < res->hit_count; ++j) {
      const tim_hit* h = &res->hits[j];
      size_t at = 0, k;
      printf("  %s  %s  ", h->id, h->title);
      for (k = 0; k < h->highlight_count; ++k) { /* the matched words in [] */
        const tim_range m = h->highlights[k];
        printf("%.*s[%.*s]", (int)(m.start - at), h->snippet + at, (int)(m.end - m.start),
               h->snippet + m.start);
        at = m.end;
      }
      printf("%s\n", h->snippet + at);
    }
    tim_results_free(res);
  }
  tim_reader_close(r);
  return 0;
}
