/**
 * `console.log` text as Node prints it, for the Run buttons: the page shows what a reader
 * running the block with Node would see. It follows `util.inspect`'s defaults where the
 * tutorials go (strings quoted inside values, `[ 1, 2 ]` spacing, nesting cut at depth 2, at
 * most 100 array items, class names before objects); line breaking is simpler than Node's.
 */

const maxItems = 100;
const maxDepth = 2;
const width = 72;

const quote = (s: string): string =>
  s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/'/g, "\\'")}'`;

const keyText = (k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k));

/** `[ a, b ]`, or one item per line (several short ones per line) when it is too wide. */
function wrap(open: string, items: readonly string[], close: string, indent: string): string {
  if (items.length === 0) return `${open}${close}`;
  const flat = `${open} ${items.join(', ')} ${close}`;
  if (flat.length <= width && !flat.includes('\n')) return flat;
  const inner = `${indent}  `;
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const piece = `${item},`;
    if (item.includes('\n') || (line !== '' && inner.length + line.length + piece.length > 80)) {
      if (line !== '') lines.push(line);
      line = piece;
    } else line = line === '' ? piece : `${line} ${piece}`;
  }
  if (line !== '') lines.push(line);
  const body = lines.map((l) => `${inner}${l}`).join('\n');
  return `${open}\n${body.slice(0, -1)}\n${indent}${close}`;
}

type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

function inspect(value: unknown, depth: number, seen: Set<object>, indent: string): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'function': {
      const src = Function.prototype.toString.call(value);
      const name = value.name === '' ? '(anonymous)' : value.name;
      return src.startsWith('class') ? `[class ${name}]` : `[Function: ${name}]`;
    }
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  if (obj instanceof Error) return obj.stack?.includes(obj.message) ? obj.stack : String(obj);
  if (obj instanceof Date) return obj.toISOString();
  if (obj instanceof RegExp) return String(obj);
  const next = `${indent}  `;
  seen.add(obj);
  try {
    if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
      const arr = obj as unknown[] | TypedArray;
      const isTyped = !Array.isArray(arr);
      const prefix = isTyped ? `${obj.constructor.name}(${arr.length}) ` : '';
      if (depth > maxDepth) return isTyped ? `[${obj.constructor.name}]` : '[Array]';
      const items: string[] = [];
      const n = Math.min(arr.length, maxItems);
      for (let i = 0; i < n; i++) {
        items.push(i in arr ? inspect(arr[i], depth + 1, seen, next) : '<1 empty item>');
      }
      if (arr.length > maxItems) {
        const more = arr.length - maxItems;
        items.push(`... ${more} more item${more > 1 ? 's' : ''}`);
      }
      return `${prefix}${wrap('[', items, ']', indent)}`;
    }
    if (obj instanceof Map) {
      if (depth > maxDepth) return '[Map]';
      const items = [...obj].map(
        ([k, v]) => `${inspect(k, depth + 1, seen, next)} => ${inspect(v, depth + 1, seen, next)}`,
      );
      return `Map(${obj.size}) ${wrap('{', items, '}', indent)}`;
    }
    if (obj instanceof Set) {
      if (depth > maxDepth) return '[Set]';
      const items = [...obj].map((v) => inspect(v, depth + 1, seen, next));
      return `Set(${obj.size}) ${wrap('{', items, '}', indent)}`;
    }
    const proto = Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null;
    const name = proto === null ? '[Object: null prototype]' : (proto.constructor?.name ?? '');
    const prefix = name === 'Object' || name === '' ? '' : `${name} `;
    if (depth > maxDepth) return name === 'Object' || name === '' ? '[Object]' : `[${name}]`;
    const items = Object.entries(obj).map(
      ([k, v]) => `${keyText(k)}: ${inspect(v, depth + 1, seen, next)}`,
    );
    return `${prefix}${wrap('{', items, '}', indent)}`;
  } finally {
    seen.delete(obj);
  }
}

/** One value as `console.log` shows it among others: strings bare, everything else inspected. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, 0, new Set(), '');
}

/** The line `console.log(...args)` prints (`%s`, `%d`, `%i`, `%f`, `%o`, `%O`, `%j` as Node's). */
export function formatLog(args: readonly unknown[]): string {
  const [first, ...rest] = args;
  if (typeof first !== 'string' || !/%[sdifoOjc%]/.test(first)) {
    return args.map(formatValue).join(' ');
  }
  let k = 0;
  const head = first.replace(/%([sdifoOjc%])/g, (whole, c: string) => {
    if (c === '%') return '%';
    if (k >= rest.length) return whole;
    const v = rest[k++];
    switch (c) {
      case 's':
        return typeof v === 'string' ? v : formatValue(v);
      case 'd':
      case 'i': {
        const n = Number(v);
        return String(c === 'i' ? Math.trunc(n) : n);
      }
      case 'f':
        return String(Number(v));
      case 'j':
        return JSON.stringify(v);
      case 'c':
        return '';
      default:
        return inspect(v, 0, new Set(), '');
    }
  });
  return [head, ...rest.slice(k).map(formatValue)].join(' ');
}
