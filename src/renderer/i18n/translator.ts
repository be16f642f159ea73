/**
 * The wizard's translation function: nested keys, `{{name}}` values, `_one`/`_other` plurals
 * chosen by the language's own rules (Intl.PluralRules), a default value, and a language switch
 * that components listen to.
 *
 * Why not i18next (which the wizard used until 2026-12): it did the same for the wizard and
 * much more it never used (back-ends, nesting, contexts, formatters, language detection), and
 * loading and initialising it was 13–22 ms of the first screen on the test machine, the
 * largest part of what the renderer benchmark's target left (docs/benchmarks.md). This is all
 * the wizard asks of a translation library; test/unit/i18n-translator.test.ts holds it to that.
 *
 * Its keys are typed from the English messages: `t('keys.cuont')` does not compile, a plural's
 * base ('keys.count') compiles only with a `count`, and a key built from a contract code
 * (`errors.codes.${code}`) compiles only if every code of that enum has its message.
 */
import type { Messages } from './en.js';

export type MessageTree = { readonly [key: string]: string | MessageTree };
export type Values = Readonly<Record<string, unknown>> & { count?: number; defaultValue?: string };

/** The endings `t` adds to a key given a `count` (Intl.PluralRules' categories). */
type PluralEnding = `_${Intl.LDMLPluralRule}`;
/** Every message of a tree as its dotted path: 'app.title', 'keys.count_one'… */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
/** The keys `t` accepts with a `count`: 'keys.count' for 'keys.count_one' and 'keys.count_other'. */
export type PluralKey<M> = string extends keyof M ? never : Leaves<M> extends infer L ? (L extends `${infer Base}_other` ? Base : never) : never;
/**
 * The keys `t` accepts for a message tree: each message's dotted path, with a plural's base
 * in place of its forms. A tree with no known keys (a test's `new Translator()`) takes any string.
 */
export type MessageKey<M> = string extends keyof M ? string : Exclude<Leaves<M>, `${string}${PluralEnding}`> | PluralKey<M>;
/** A plural's base needs its `count`; other keys may take values. */
type ValuesFor<M, K> = K extends PluralKey<M> ? [values: Values & { count: number }] : [values?: Values];
/** `t` for a message tree: a key the tree does not have is a compile error, not a test failure. */
export type Translate<M> = <K extends MessageKey<M>>(key: K, ...values: ValuesFor<M, K>) => string;

export class Translator<M extends MessageTree = MessageTree> {
  private readonly bundles = new Map<string, MessageTree>();
  private readonly plurals = new Map<string, Intl.PluralRules>();
  private readonly listeners = new Set<() => void>();
  private current = 'en';

  get language(): string {
    return this.current;
  }

  has(language: string): boolean {
    return this.bundles.has(language);
  }

  add(language: string, messages: M): void {
    this.bundles.set(language, messages);
  }

  /** Switches language (its messages must have been added) and tells every listener. */
  use(language: string): void {
    if (!this.bundles.has(language)) throw new Error(`No messages for "${language}".`);
    if (language === this.current) return;
    this.current = language;
    for (const l of this.listeners) l();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The message at `key` (dots walk the nesting) with its `{{values}}` filled in. With a
   * numeric `count`, `key_one`/`key_other`... by the language's plural rule, else `key_other`.
   * A missing key gives `defaultValue`, else the key itself; a missing value stays `{{name}}`.
   */
  readonly t: Translate<M> = (key: string, values: Values = {}): string => {
    const messages = this.bundles.get(this.current);
    let text: string | undefined;
    if (typeof values.count === 'number') {
      text = lookup(messages, `${key}_${this.pluralRule().select(values.count)}`) ?? lookup(messages, `${key}_other`);
    }
    text ??= lookup(messages, key) ?? values.defaultValue ?? key;
    return text.includes('{{') ? text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in values && values[name] !== undefined ? String(values[name]) : whole)) : text;
  };

  private pluralRule(): Intl.PluralRules {
    let rule = this.plurals.get(this.current);
    if (!rule) this.plurals.set(this.current, (rule = new Intl.PluralRules(this.current)));
    return rule;
  }
}

function lookup(messages: MessageTree | undefined, key: string): string | undefined {
  let node: string | MessageTree | undefined = messages;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** The wizard's one translator: its keys are en.ts's, which fr.ts must match (its type says so). */
export const translator = new Translator<Messages>();
