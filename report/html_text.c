/*
 * html_text.c: the small pieces every part of the page writes with (see
 * html.h): escaped text, a figure, the word for a gender.  Apart from html.c
 * so that the sections, which html.c calls, never call back into it.
 */
#include <string.h>

#include "report/figure.h"
#include "report/html.h"
#include "report/text.h"

void html_text(FILE *out, const char *text)
{
    html_text_length(out, text, text ? strlen(text) : 0);
}

void html_text_length(FILE *out, const char *text, size_t length)
{
    for (const char *end = text + length; text && text < end; text++)
        switch (*text) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*text, out);
        }
}

void html_number(FILE *out, const char *text, report_lang lang, unsigned flags)
{
    char formatted[NUMBER_MAX];

    if (text == NULL) {
        fputs("\xe2\x80\x93", out);
        return;
    }
    report_number(formatted, sizeof formatted, text, lang, flags);
    fputs(formatted, out);
}

const char *html_gender(const report *rep, const char *gender)
{
    return report_text(rep->lang, gender[0] == 'K'   ? TEXT_WOMEN
                                  : gender[0] == 'M' ? TEXT_MEN
                                                     : TEXT_TOTAL);
}
