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
 */
export type MessageTree = { readonly [key: string]: string | MessageTree };
export type Values = Readonly<Record<string, unknown>> & { count?: number; defaultValue?: string };

export class Translator {
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

  add(language: string, messages: MessageTree): void {
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
  readonly t = (key: string, values: Values = {}): string => {
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

/** The wizard's one translator. */
export const translator = new Translator();
