# house.test.sh: the rules that keep the code easy to find one's way in
# (docs/hacking.md, issue #21), checked over the whole tree:
#   - no C file over 700 lines, no function over 60 lines, no line over 100 columns;
#   - includes by path from the repository root: no #include "../...";
#   - no two headers share a name;
#   - no realloc( outside lib/base/buffer.c and lib/base/alloc_faults.c: arrays and
#     text grow through lib/base/buffer.h (docs/hacking.md, "Memory");
#   - no circle between files: if a.c calls b.c, nothing b.c calls (directly or
#     not) calls back into a.c (read from the symbols of the built archives).
# Each violation is listed as file:line: what; the test fails if there is any.
root=$NYCKEL_ROOT
build=${BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
cd "$root"
python3 - "$build" <<'PY'
import os, re, subprocess, sys

build = sys.argv[1]
# The one buffer and the allocation-failure wrappers are the only places that call realloc.
REALLOC_ALLOWED = {'lib/base/buffer.c', 'lib/base/alloc_faults.c'}
FILE_MAX, FUNCTION_MAX, COLUMNS_MAX = 700, 60, 100
files = subprocess.run(['git', 'ls-files', '*.c', '*.h'], capture_output=True, text=True,
                       check=True).stdout.split()
files = [f for f in files if os.path.exists(f)]
problems = []

for path in files:
    lines = open(path, encoding='utf-8').read().split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    if len(lines) > FILE_MAX:
        problems.append(f'{path}: {len(lines)} lines, more than {FILE_MAX}')
    start = None
    may_realloc = not path.endswith('.c') or path in REALLOC_ALLOWED
    for n, line in enumerate(lines, 1):
        if not may_realloc and re.search(r'\brealloc\s*\(', line):
            problems.append(f'{path}:{n}: realloc(: grow through lib/base/buffer.h instead')
        if len(line) > COLUMNS_MAX:
            problems.append(f'{path}:{n}: {len(line)} columns, more than {COLUMNS_MAX}')
        if re.match(r'\s*#\s*include\s+"\.\./', line):
            problems.append(f'{path}:{n}: #include "../": include by path from the root')
        # A function body opens with "{" and closes with "}" at column 0 (the house style).
        if line.startswith('{'):
            start = n
        elif line.startswith('}') and start is not None:
            if n - start + 1 > FUNCTION_MAX:
                problems.append(f'{path}:{start}: a function of {n - start + 1} lines, more than '
                                f'{FUNCTION_MAX}')
            start = None

headers = {}
for path in files:
    if path.endswith('.h'):
        headers.setdefault(os.path.basename(path), []).append(path)
for name, paths in sorted(headers.items()):
    if len(paths) > 1:
        problems.append(f'header name {name} used twice: {", ".join(paths)}')

# Circles: which object defines each symbol, which objects each one uses.
archives = sorted(os.path.join(build, a) for a in os.listdir(build) if a.endswith('.a'))
if len(archives) < 6:
    sys.exit(f'house: expected the six archives in {build}; build first (make all)')
defines, uses = {}, {}
for archive in archives:
    member = None
    for line in subprocess.run(['nm', archive], capture_output=True, text=True,
                               check=True).stdout.split('\n'):
        if line.endswith('.o:'):
            member = os.path.basename(archive) + ':' + line[:-1]
            uses.setdefault(member, set())
            continue
        parts = line.split()
        if member and len(parts) == 3 and parts[1] in 'TDBRC':
            defines[parts[2]] = member
        elif member and len(parts) == 2 and parts[0] == 'U':
            uses[member].add(parts[1])
calls = {m: {defines[s] for s in used if s in defines and defines[s] != m}
         for m, used in uses.items()}
index, low, stack, on_stack, counter = {}, {}, [], set(), [0]
sys.setrecursionlimit(100000)

def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on_stack.add(v)
    for w in calls[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        circle = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            circle.append(w)
            if w == v:
                break
        if len(circle) > 1:
            problems.append('files calling each other in a circle: ' + ' '.join(sorted(circle)))

for member in sorted(calls):
    if member not in index:
        visit(member)

for p in problems:
    print(p)
print(f'house: {len(files)} files, {len(problems)} problem(s)')
sys.exit(1 if problems else 0)
PY
