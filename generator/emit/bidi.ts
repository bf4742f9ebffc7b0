/**
 * Bidirectional-text controls: characters that reorder or hide the text around them on screen,
 * so that generated code or docs could read differently in review from what they hold. Emitters
 * write each one as its visible `\uXXXX` escape instead.
 */

/** The embedding, override and isolate controls, and the LRM, RLM and Arabic letter marks. */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every bidi control replaced by its escape, such as `\u202e`. */
export function showBidi(text: string): string {
  return text.replace(BIDI_CONTROL, (char) => {
    const code = char.charCodeAt(0).toString(16).padStart(4, "0");
    return `\\u${code}`;
  });
}
