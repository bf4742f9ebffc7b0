/**
 * What an emitter hands back: a file's path inside the output directory and its text. Emitters
 * never write to disk or add the banner, and the pipeline lays every file out the same way
 * (`output/layout.ts`), so `generate` and `check` see identical bytes.
 */
import type { Model } from "../model.js";

export type FileKind = "ts" | "json" | "md" | "rst";

export interface EmittedFile {
  /** Relative to the output directory, `/`-separated, such as `policies/modelarts-training-full-access.json`. */
  path: string;
  kind: FileKind;
  /** The text; an emitter may compute it when read (a getter), as the docs emitter does. */
  readonly content: string;
  /** The template it was rendered from, relative to the templates directory, named in the banner. */
  template?: string;
}

export interface EmitContext {
  /** Absolute path of the templates directory (`templates/` unless `--templates` says otherwise). */
  templatesDir: string;
}

export type Emitter = (model: Model, context: EmitContext) => EmittedFile[] | Promise<EmittedFile[]>;
