/**
 * A value made when first read: a file's bytes known by its stat (stages/discover.ts), a known
 * file's JSON (stages/parse.ts), a compile unit's schema and examples (compile/inputs.ts). A warm
 * run reads few of them, and a property keeps the objects' shape for every reader.
 */

/**
 * Defines `name` on `target` as an enumerable property whose value `make` makes when it is first
 * read, and keeps. A `make` that throws keeps nothing: the next read tries again.
 */
export function lazyProperty<T extends object, K extends string>(target: T, name: K, make: () => unknown): T {
  let value: unknown;
  let made = false;
  return Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get() {
      if (!made) {
        value = make();
        made = true;
      }
      return value;
    },
  });
}
