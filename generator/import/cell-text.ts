/**
 * The text of one table cell with the file position of every character, so that a value read
 * out of it (a path, an action) can be reported at the exact line and column it came from, even
 * after markup such as `:ref:` links has been peeled off.
 */
import type { Position } from "../diagnostics.js";
import type { CellLine } from "./rst-grid.js";

/** Something found while reading, before the file name and severity are attached. */
export interface Finding extends Position {
  code: string;
  message: string;
  hint: string;
}

/** A cell's text and the file position of each of its characters. */
export class CellText {
  private constructor(
    readonly text: string,
    private readonly places: readonly Position[],
    private readonly end: Position,
  ) {}

  /**
   * Joins a cell's lines with "\n". A line ending in one of `glue`'s characters continues on the
   * next line without a break, which is how a narrow column wraps a long path or action.
   */
  static fromLines(lines: readonly CellLine[], glue = ""): CellText {
    const chars: string[] = [];
    const places: Position[] = [];
    const content = trimBlankLines(lines);

    content.forEach((line, index) => {
      for (let offset = 0; offset < line.text.length; offset++) {
        chars.push(line.text[offset] ?? "");
        places.push({ line: line.line, column: line.column + offset });
      }
      const last = line.text[line.text.length - 1] ?? "";
      const next = content[index + 1];
      if (next && !(glue.includes(last) && last !== "" && next.text !== "")) {
        chars.push("\n");
        places.push({ line: line.line, column: line.column + line.text.length });
      }
    });

    const first = lines[0] ?? { line: 1, column: 1 };
    const end = places[places.length - 1] ?? { line: first.line, column: first.column };
    return new CellText(chars.join(""), places, end);
  }

  /** Where the character at `index` is; the end of the cell past its last character. */
  at(index = 0): Position {
    return this.places[index] ?? this.end;
  }


  /**
   * Replaces every match of `pattern` (which needs the `g` and `d` flags) by its first capture
   * group, keeping that group's positions; a match without the group is removed.
   */
  unwrap(pattern: RegExp): CellText {
    const chars: string[] = [];
    const places: Position[] = [];
    let from = 0;

    for (const match of this.text.matchAll(pattern)) {
      this.copy(from, match.index, chars, places);
      const kept = match.indices?.[1];
      if (kept) this.copy(kept[0], kept[1], chars, places);
      from = match.index + match[0].length;
    }
    this.copy(from, this.text.length, chars, places);
    return new CellText(chars.join(""), places, this.end);
  }

  /** The characters from `start` to `end`, with their positions. */
  slice(start: number, end = this.text.length): CellText {
    return new CellText(this.text.slice(start, end), this.places.slice(start, end), this.at(end));
  }

  /** Without leading and trailing white space. */
  trim(): CellText {
    const start = this.text.length - this.text.trimStart().length;
    return this.slice(start, this.text.trimEnd().length);
  }

  /** The pieces between matches of `separator`, trimmed, empty ones dropped. */
  split(separator: RegExp): CellText[] {
    const global = new RegExp(
      separator.source,
      separator.flags.includes("g") ? separator.flags : `${separator.flags}g`,
    );
    const pieces: CellText[] = [];
    let from = 0;
    for (const match of this.text.matchAll(global)) {
      if (match[0] === "") continue;
      pieces.push(this.slice(from, match.index));
      from = match.index + match[0].length;
    }
    pieces.push(this.slice(from));
    return pieces.map((piece) => piece.trim()).filter((piece) => piece.text !== "");
  }

  /** The cell's non-blank lines, each trimmed. */
  lines(): CellText[] {
    return this.split(/\n/);
  }

  private copy(from: number, to: number, chars: string[], places: Position[]): void {
    for (let i = from; i < to; i++) {
      chars.push(this.text[i] ?? "");
      places.push(this.at(i));
    }
  }
}

function trimBlankLines(lines: readonly CellLine[]): CellLine[] {
  const first = lines.findIndex((line) => line.text !== "");
  if (first < 0) return [];
  let last = lines.length - 1;
  while (last > first && lines[last]?.text === "") last--;
  return lines.slice(first, last + 1);
}
