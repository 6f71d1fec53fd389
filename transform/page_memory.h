/*
 * page_memory.h: memory for the jansson nodes of one Kolada data page.
 *
 * A 5 000-row page becomes about 100 000 small jansson nodes.  Allocating
 * and freeing them one by one took a third of transform's time, so while a
 * data page is parsed its nodes come from a bump arena instead, and the
 * whole arena is reset when the page is done.  Everything else (metadata
 * pages, dimension rows) keeps using malloc.  jansson's allocator is global,
 * so the functions installed here serve both: free() of an arena pointer is
 * a no-op, of anything else a real free.
 */
#ifndef NYCKEL_PAGE_MEMORY_H
#define NYCKEL_PAGE_MEMORY_H

/* Install the allocator into jansson; call once before any page is parsed. */
void transform_page_memory_install(void);

/* Allocations between begin and end come from the arena. */
void transform_page_memory_begin(void);
void transform_page_memory_end(void);

/* Forget everything in the arena: call only after the page is released. */
void transform_page_memory_reset(void);

#endif
