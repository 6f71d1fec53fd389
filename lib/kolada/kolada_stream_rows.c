/*
 * kolada_stream_rows.c: the rows and values of a Kolada data page as the
 * caller sees them: which members are kept, how a row is put together while
 * its members come in any order, and why a row or value cannot be used.
 *
 * Members that matter are kept as typed text in a buffer emptied after each
 * row, so the page's memory stays that of its largest row.  The reasons are
 * worded for a reject, in the order transform has always checked them.
 */
#include "lib/kolada/kolada_stream_internal.h"

#include <stdlib.h>
#include <string.h>

static nk_kolada_member member_of(const nk_buffer *text, slot kept)
{
    nk_kolada_member member = { kept.type, kept.text ? text->data + kept.text - 1 : NULL };

    return member;
}

static int year_of(nk_kolada_member period)
{
    size_t length = period.text ? strlen(period.text) : 0;
    long year = -1;

    if (period.type == NK_KOLADA_INTEGER && period.text[0] != '-' && length <= 9)
        year = strtol(period.text, NULL, 10);
    else if (period.type == NK_KOLADA_STRING && length == 4 &&
             strspn(period.text, "0123456789") == 4)
        year = strtol(period.text, NULL, 10);
    return year >= 1900 && year <= 2100 ? (int)year : -1;
}

static int is_negative(nk_kolada_member number)
{
    return number.text[0] == '-' && strcmp(number.text, "-0") != 0;
}

/* A deletion marker: v3 sends true or false, v2 is documented as 0 or 1 and sends either. */
static int is_clear_marker(nk_kolada_member marker)
{
    nk_kolada_type type = marker.type;

    if (type == NK_KOLADA_INTEGER)
        return strcmp(marker.text, "0") == 0 || strcmp(marker.text, "1") == 0;
    return type == NK_KOLADA_ABSENT || type == NK_KOLADA_NULL || type == NK_KOLADA_TRUE ||
           type == NK_KOLADA_FALSE;
}

static int is_set(nk_kolada_member marker)
{
    return marker.type == NK_KOLADA_TRUE ||
           (marker.type == NK_KOLADA_INTEGER && strcmp(marker.text, "1") == 0);
}

/*
 * Why a value cannot be used, in the order transform has always checked; a
 * number the reason is about is also put in v->found, for the reject to show.
 */
static const char *value_problem(nk_kolada_value *v)
{
    nk_kolada_type number = v->value.type, count = v->count.type, status = v->status.type;

    v->found = NULL;
    if (v->type != NK_KOLADA_OBJECT)
        return "expected a value object";
    if (v->gender.type != NK_KOLADA_STRING || strlen(v->gender.text) != 1 ||
        strchr("TKM", v->gender.text[0]) == NULL)
        return "expected a \"gender\" of \"T\", \"K\" or \"M\"";
    if (number == NK_KOLADA_OUT_OF_RANGE) {
        v->found = v->value.text;
        return "expected a number a double holds (up to about 1.8e308, down to about 4.9e-324)"
               " as \"value\"";
    }
    if (number != NK_KOLADA_ABSENT && number != NK_KOLADA_NULL && number != NK_KOLADA_INTEGER &&
        number != NK_KOLADA_REAL)
        return "expected a number or null as \"value\"";
    if (count != NK_KOLADA_ABSENT && count != NK_KOLADA_NULL &&
        !(count == NK_KOLADA_INTEGER && !is_negative(v->count))) {
        /* A number is shown (-1, 1e30, or one no double holds); another type is not a number. */
        if (count == NK_KOLADA_INTEGER || count == NK_KOLADA_REAL ||
            count == NK_KOLADA_OUT_OF_RANGE)
            v->found = v->count.text;
        return "expected a whole number of 0 or more, or null, as \"count\"";
    }
    if (status != NK_KOLADA_ABSENT && status != NK_KOLADA_NULL && status != NK_KOLADA_STRING)
        return "expected a string or null as \"status\"";
    if (!is_clear_marker(v->isdeleted))
        return "expected true, false, 0 or 1 as \"isdeleted\"";
    if (!is_clear_marker(v->is_deleted))
        return "expected true, false, 0 or 1 as \"is_deleted\"";
    return NULL;
}

static void show_value(const nk_kolada_stream *s, const value_slots *kept, nk_kolada_value *v)
{
    const slot *m = kept->members;

    v->type = kept->type;
    v->span = kept->span;
    v->gender = member_of(&s->row_text, m[VALUE_GENDER]);
    v->value = member_of(&s->row_text, m[VALUE_VALUE]);
    v->count = member_of(&s->row_text, m[VALUE_COUNT]);
    v->status = member_of(&s->row_text, m[VALUE_STATUS]);
    v->isdeleted = member_of(&s->row_text, m[VALUE_ISDELETED]);
    v->is_deleted = member_of(&s->row_text, m[VALUE_IS_DELETED]);
    v->deleted = is_set(v->isdeleted) || is_set(v->is_deleted);
    v->problem = value_problem(v);
}

static void show_row(const nk_kolada_stream *s, nk_kolada_row *row)
{
    const slot *m = s->row.members;

    row->index = s->row.index;
    row->type = s->row.type;
    row->span = s->row.span;
    row->kpi = member_of(&s->row_text, m[ROW_KPI]);
    row->place = member_of(&s->row_text, m[ROW_PLACE]);
    row->period = member_of(&s->row_text, m[ROW_PERIOD]);
    row->values_type = m[ROW_VALUES].type;
    row->year = year_of(row->period);
    row->id_problem = NULL;
    if (row->kpi.type != NK_KOLADA_STRING || row->place.type != NK_KOLADA_STRING)
        row->id_problem = s->unit_level ? "expected \"kpi\" and \"ou\" strings"
                                        : "expected \"kpi\" and \"municipality\" strings";
    row->problem = NULL;
    if (row->year < 0)
        row->problem = "expected a \"period\" year from 1900 to 2100";
    else if (row->values_type != NK_KOLADA_ARRAY)
        row->problem = "expected a \"values\" list";
    row->values = NULL;
    row->value_count = 0;
    if (row->values_type == NK_KOLADA_ARRAY) {
        for (size_t i = 0; i < s->value_count; i++)
            show_value(s, &s->values[i], &s->shown_values[i]);
        row->values = s->shown_values;
        row->value_count = s->value_count;
    }
}

/* A new row in the place of the last one, whose text and values are reused. */
int nk_kolada_begin_row(nk_kolada_stream *s, nk_kolada_type type, uint64_t start)
{
    memset(&s->row, 0, sizeof s->row);
    s->row.index = s->row_count++;
    s->row.type = type;
    s->row.span.start = start;
    nk_buffer_reset(&s->row_text);
    s->value_count = 0;
    return 1;
}

/* The row is complete: hand it to the caller, whose failure stops the page. */
int nk_kolada_end_row(nk_kolada_stream *s, uint64_t end)
{
    nk_kolada_row row;

    s->row.span.end = end;
    show_row(s, &row);
    if (s->on_row(s->user, &row, &s->failure) < 0) {
        s->failed = 1;
        return 0;
    }
    return 1;
}

/* A value of the row; the values' room only grows, and serves row after row. */
int nk_kolada_begin_value(nk_kolada_stream *s, nk_kolada_type type, uint64_t start)
{
    if (s->rows_only)
        return 1;
    if (nk_grow_pair(&s->values, sizeof *s->values, &s->shown_values, sizeof *s->shown_values,
                     s->value_count + 1, &s->value_size, 8) < 0)
        return nk_kolada_fail_memory(s);
    value_slots *v = &s->values[s->value_count++];
    memset(v, 0, sizeof *v);
    v->type = type;
    v->span.start = start;
    return 1;
}

int nk_kolada_end_value(nk_kolada_stream *s, uint64_t end)
{
    if (s->rows_only)
        return 1;
    s->values[s->value_count - 1].span.end = end;
    return 1;
}

#define IS(key, length, word) ((length) == sizeof(word) - 1 && memcmp((key), (word), (length)) == 0)

static int page_member(const char *key, size_t length)
{
    if (IS(key, length, "values"))
        return PAGE_VALUES;
    if (IS(key, length, "count"))
        return PAGE_COUNT;
    if (IS(key, length, "next_url"))
        return PAGE_NEXT_URL;
    if (IS(key, length, "next_page"))
        return PAGE_NEXT_PAGE;
    return NO_MEMBER;
}

static int row_member(const char *key, size_t length, int unit_level)
{
    if (IS(key, length, "kpi"))
        return ROW_KPI;
    if (unit_level ? IS(key, length, "ou") : IS(key, length, "municipality"))
        return ROW_PLACE;
    if (IS(key, length, "period"))
        return ROW_PERIOD;
    if (IS(key, length, "values"))
        return ROW_VALUES;
    return NO_MEMBER;
}

static int value_member(const char *key, size_t length)
{
    if (IS(key, length, "gender"))
        return VALUE_GENDER;
    if (IS(key, length, "value"))
        return VALUE_VALUE;
    if (IS(key, length, "count"))
        return VALUE_COUNT;
    if (IS(key, length, "status"))
        return VALUE_STATUS;
    if (IS(key, length, "isdeleted"))
        return VALUE_ISDELETED;
    if (IS(key, length, "is_deleted"))
        return VALUE_IS_DELETED;
    return NO_MEMBER;
}

/* Which member an object of this role keeps under key, or NO_MEMBER. */
int nk_kolada_known_member(const nk_kolada_stream *s, role role, const char *key, size_t length)
{
    switch (role) {
    case ROLE_PAGE:
        return page_member(key, length);
    case ROLE_ROW:
        return row_member(key, length, s->unit_level);
    case ROLE_VALUE:
        return value_member(key, length);
    default:
        return NO_MEMBER;
    }
}

/* The slot the open object's current member goes into, or NULL when it is not kept. */
slot *nk_kolada_slot_of(nk_kolada_stream *s, const level *top)
{
    if (top->member == NO_MEMBER)
        return NULL;
    switch (top->role) {
    case ROLE_PAGE:
        return &s->page_members[top->member];
    case ROLE_ROW:
        return &s->row.members[top->member];
    case ROLE_VALUE:
        return s->rows_only ? NULL : &s->values[s->value_count - 1].members[top->member];
    default:
        return NULL;
    }
}

int nk_kolada_keep_member(nk_kolada_stream *s, slot *kept, nk_buffer *text, nk_kolada_type type,
                          const char *value, size_t length)
{
    kept->type = type;
    kept->text = 0;
    if (value == NULL)
        return 1;
    /* the text and its NUL, found again at kept->text - 1 (0 stands for no text) */
    if (nk_buffer_reserve(text, length + 1) < 0)
        return nk_kolada_fail_memory(s);
    kept->text = text->length + 1;
    nk_buffer_add(text, value, length);
    nk_buffer_add(text, "", 1);
    return 1;
}

/* The page's own members, once the page has been read whole. */
void nk_kolada_show_page(nk_kolada_stream *s)
{
    s->page.count = member_of(&s->page_text, s->page_members[PAGE_COUNT]);
    s->page.next_url = member_of(&s->page_text, s->page_members[PAGE_NEXT_URL]);
    s->page.next_page = member_of(&s->page_text, s->page_members[PAGE_NEXT_PAGE]);
}
