/**
 * What an emitter hands back: a file's path inside the output directory and its text. Emitters
 * never write to disk or add the banner, and the pipeline lays every file out the same way
 * (`output/layout.ts`), so `generate` and `check` see identical bytes.
 */
import type { Model } from "../model.js";

export type FileKind = "ts" | "json" | "md" | "rst";

/**
 * A file's text: one string, or pieces in order whose concatenation is the text. The files as long
 * as the spec (the route table, the action metadata, the action index) come in pieces of a line or
 * a few, from the emitter to the disk, so that no copy of a whole file of tens of megabytes is
 * ever made. A piece never splits a line break or a character.
 */
export type FileText = string | readonly string[];

export interface EmittedFile {
  /** Relative to the output directory, `/`-separated, such as `policies/modelarts-training-full-access.json`. */
  path: string;
  kind: FileKind;
  /** The text; an emitter may compute it when read (a getter), as the docs emitter does. */
  readonly content: FileText;
  /** The template it was rendered from, relative to the templates directory, named in the banner. */
  template?: string;
}

export interface EmitContext {
  /** Absolute path of the templates directory (`templates/` unless `--templates` says otherwise). */
  templatesDir: string;
}

export type Emitter = (model: Model, context: EmitContext) => EmittedFile[] | Promise<EmittedFile[]>;
