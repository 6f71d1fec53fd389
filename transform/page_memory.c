/*
 * page_memory.c: a bump arena for the nodes of one page (see page_memory.h).
 */
#include "page_memory.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#define BLOCK_SIZE (8u << 20)
#define MAX_BLOCKS 64

static struct {
    char *blocks[MAX_BLOCKS];
    size_t block_count;
    size_t current; /* index of the block being filled */
    size_t used;    /* bytes used in the current block */
    int active;
} arena;

static int in_arena(const void *pointer)
{
    const char *p = pointer;

    for (size_t i = 0; i < arena.block_count; i++)
        if (p >= arena.blocks[i] && p < arena.blocks[i] + BLOCK_SIZE)
            return 1;
    return 0;
}

static void *arena_take(size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size > BLOCK_SIZE / 4)
        return NULL;
    if (arena.block_count == 0 || arena.used + size > BLOCK_SIZE) {
        if (arena.block_count > 0 && arena.current + 1 < arena.block_count) {
            arena.current++;
        } else {
            if (arena.block_count == MAX_BLOCKS)
                return NULL;
            char *block = malloc(BLOCK_SIZE);
            if (block == NULL)
                return NULL;
            arena.blocks[arena.block_count] = block;
            arena.current = arena.block_count++;
        }
        arena.used = 0;
    }
    void *pointer = arena.blocks[arena.current] + arena.used;
    arena.used += size;
    return pointer;
}

static void *page_malloc(size_t size)
{
    void *pointer = arena.active ? arena_take(size) : NULL;

    return pointer ? pointer : malloc(size);
}

static void page_free(void *pointer)
{
    if (pointer && !in_arena(pointer))
        free(pointer);
}

void transform_page_memory_install(void)
{
    json_set_alloc_funcs(page_malloc, page_free);
}

void transform_page_memory_begin(void)
{
    arena.active = 1;
}

void transform_page_memory_end(void)
{
    arena.active = 0;
}

void transform_page_memory_reset(void)
{
    arena.current = 0;
    arena.used = 0;
}
