/* wasm-grep: reads every file of the granted directory "input", counts the lines that contain a
 * word (argv[1], default "pixel") and writes a report into the granted directory "report".
 * It sees only what pxOS pre-opened: /input (read) and /report (write). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *word = argc > 1 ? argv[1] : "pixel";
  DIR *dir = opendir("/input");
  if (!dir) {
    perror("/input");
    return 2;
  }
  FILE *out = fopen("/report/matches.txt", "w");
  if (!out) {
    perror("/report/matches.txt");
    return 2;
  }
  int files = 0, total = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char path[512];
    snprintf(path, sizeof path, "/input/%s", e->d_name);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    char line[1024];
    int n = 0, count = 0;
    while (fgets(line, sizeof line, f)) {
      n++;
      if (strstr(line, word)) {
        count++;
        fprintf(out, "%s:%d: %s", e->d_name, n, line);
      }
    }
    fclose(f);
    files++;
    total += count;
  }
  closedir(dir);
  fprintf(out, "-- %d matching lines for \"%s\" in %d files\n", total, word, files);
  fclose(out);
  printf("%d matching lines for \"%s\" in %d files; report in report/matches.txt\n", total, word,
         files);
  /* Outside the pre-opens nothing exists for the program. */
  printf("/etc/passwd: %s\n", fopen("/etc/passwd", "r") ? "opened (wrong!)" : "refused");
  return 0;
}
