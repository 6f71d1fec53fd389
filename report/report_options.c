/*
 * options.c: parsing the nyckel-report command line (see report_usage).
 */
#include "report/report_options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/cli.h"
#include "lib/base/exit_codes.h"
#include "lib/base/log.h"

const char report_usage[] =
    "usage: nyckel-report --area MUNICIPALITY [options]\n"
    "\n"
    "Write one self-contained HTML page for a municipality: each KPI over the\n"
    "years beside Riket, its region and its peer groups, where it stands in the\n"
    "latest year, budget follow-up and internal figures, from the mart schema\n"
    "only (a member of nyckel_bi may run it).  Prints the file's path.\n"
    "\n"
    "  --area ID|NAME         the municipality: 1814 or Lekeberg\n"
    "  --kpi ID[,ID...]       these KPIs (may be repeated)\n"
    "  --operating-area NAME  every KPI of this operating area (may be repeated)\n"
    "  --kpi-group ID|TITLE   every KPI of this Kolada KPI group: G2KPI110013 or\n"
    "                         its exact title (may be repeated); members the\n"
    "                         warehouse has no value of are named on the page\n"
    "  --job FILE             the job's Kolada selection (kpis, operating_areas,\n"
    "                         kpi_groups) unless --kpi, --operating-area or\n"
    "                         --kpi-group is given, and its warehouse.conninfo;\n"
    "                         else the PG* environment applies\n"
    "  --lang sv|en           the page's language (default sv)\n"
    "  --output FILE          where to write (default nyckel-report-AREA.html)\n"
    "  --log-format FORMAT    text, json or auto\n"
    "  --quiet, --verbose     fewer or more log messages\n"
    "  --help, --version\n"
    "\n"
    "Without a KPI selection, every KPI in the warehouse is reported.\n"
    "Exit status: 0 written; 64 bad command line or selection; 66 job file\n"
    "missing; 69 warehouse unreachable; 73/74 cannot write; 78 job invalid or\n"
    "the role may not read the marts.\n";

enum {
    OPT_AREA = 1000,
    OPT_KPI,
    OPT_OPERATING_AREA,
    OPT_KPI_GROUP,
    OPT_JOB,
    OPT_LANG,
    OPT_OUTPUT,
    OPT_LOG
};

static const struct option long_options[] = {
    { "area", required_argument, NULL, OPT_AREA },
    { "kpi", required_argument, NULL, OPT_KPI },
    { "operating-area", required_argument, NULL, OPT_OPERATING_AREA },
    { "kpi-group", required_argument, NULL, OPT_KPI_GROUP },
    { "job", required_argument, NULL, OPT_JOB },
    { "lang", required_argument, NULL, OPT_LANG },
    { "output", required_argument, NULL, OPT_OUTPUT },
    { "log-format", required_argument, NULL, OPT_LOG },
    { "quiet", no_argument, NULL, 'q' },
    { "verbose", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

/* Append item to a NULL-terminated list of *room entries. */
static int push(const char ***list, size_t *count, size_t *room, const char *item, nk_error *err)
{
    if (nk_grow_array(list, sizeof **list, *count + 2, room, 8) < 0)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory reading the command line");
    (*list)[(*count)++] = item;
    (*list)[*count] = NULL;
    return 0;
}

int report_options_add(report_options *options, report_item kind, const char *item, nk_error *err)
{
    switch (kind) {
    case REPORT_ITEM_KPI:
        return push(&options->kpis, &options->kpi_count, &options->kpi_room, item, err);
    case REPORT_ITEM_OPERATING_AREA:
        return push(&options->operating_areas, &options->area_count, &options->area_room, item,
                    err);
    default:
        return push(&options->kpi_groups, &options->group_count, &options->group_room, item, err);
    }
}

/* --kpi N00945,N31807: split in place (optarg is argv's own memory). */
static int push_kpis(report_options *options, char *ids, nk_error *err)
{
    for (char *id = strtok(ids, ", "); id; id = strtok(NULL, ", "))
        if (push(&options->kpis, &options->kpi_count, &options->kpi_room, id, err) < 0)
            return -1;
    return options->kpi_count ? 0 : nk_fail(err, NK_EXIT_USAGE, "--kpi: no KPI id given");
}

static int parse_one(int c, void *data, nk_error *err)
{
    report_options *options = data;

    switch (c) {
    case OPT_AREA:
        options->area = optarg;
        return 0;
    case OPT_KPI:
        return push_kpis(options, optarg, err);
    case OPT_OPERATING_AREA:
        return report_options_add(options, REPORT_ITEM_OPERATING_AREA, optarg, err);
    case OPT_KPI_GROUP:
        if (optarg[0] == '\0')
            return nk_fail(err, NK_EXIT_USAGE, "--kpi-group: no KPI group id or title given");
        return report_options_add(options, REPORT_ITEM_KPI_GROUP, optarg, err);
    case OPT_JOB:
        options->job_path = optarg;
        return 0;
    case OPT_OUTPUT:
        options->output = optarg;
        return 0;
    case OPT_LANG:
        if (strcmp(optarg, "sv") != 0 && strcmp(optarg, "en") != 0)
            return nk_fail(err, NK_EXIT_USAGE, "--lang: expected sv or en, found \"%s\"", optarg);
        options->lang = optarg[0] == 'e' ? REPORT_EN : REPORT_SV;
        return 0;
    case OPT_LOG:
        return nk_cli_set_log_format(optarg, err);
    case 'q':
        nk_log_set_level(NK_LOG_WARN);
        return 0;
    case 'v':
        nk_log_set_level(NK_LOG_DEBUG);
        return 0;
    case 'h':
        options->help = 1;
        return 0;
    case 'V':
        options->version = 1;
        return 0;
    default:
        return nk_fail(err, NK_EXIT_USAGE, "unknown option (see --help)");
    }
}

int report_options_parse(int argc, char **argv, report_options *options, nk_error *err)
{
    memset(options, 0, sizeof *options);
    if (nk_cli_each_option(argc, argv, "qvh", long_options, parse_one, options, err) < 0)
        return -1;
    if (options->help || options->version)
        return 0;
    if (optind < argc)
        return nk_fail(err, NK_EXIT_USAGE, "%s: unexpected argument (see --help)", argv[optind]);
    if (options->area == NULL || options->area[0] == '\0')
        return nk_fail(err, NK_EXIT_USAGE, "--area is required: a municipality's id or name");
    return 0;
}

void report_options_free(report_options *options)
{
    free(options->kpis);
    free(options->operating_areas);
    free(options->kpi_groups);
}
