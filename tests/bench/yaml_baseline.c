/* yaml_baseline.c - the floor for loading a plan: libyaml's event parser
 * alone, reading the file and dropping every event.
 *
 *   yaml_baseline FILE.yaml
 *
 * prints the number of events and scalar bytes.  plandash --check does
 * this much and more (building and checking the model), so its time over
 * this one's is the cost of plandash's own work. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: yaml_baseline FILE.yaml\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        fprintf(stderr, "yaml_baseline: cannot start libyaml\n");
        return 1;
    }
    yaml_parser_set_input_file(&p, f);
    unsigned long events = 0, bytes = 0;
    int rc = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            fprintf(stderr, "%s:%lu:%lu: %s\n", argv[1], (unsigned long)p.problem_mark.line + 1,
                    (unsigned long)p.problem_mark.column + 1,
                    p.problem ? p.problem : "YAML error");
            rc = 1;
            break;
        }
        events++;
        if (e.type == YAML_SCALAR_EVENT)
            bytes += e.data.scalar.length;
        int end = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    fclose(f);
    printf("%lu events, %lu scalar bytes\n", events, bytes);
    return rc;
}
