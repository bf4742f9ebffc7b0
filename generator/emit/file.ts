/**
 * What an emitter hands back: a file's path inside the output directory and its text before
 * formatting. Emitters never write to disk, format, or add the banner: the output pipeline does all
 * three the same way for every file, so `generate` and `check` see identical bytes.
 */
import type { Model } from "../model.js";

export type FileKind = "ts" | "json" | "md" | "rst";

export interface EmittedFile {
  /** Relative to the output directory, `/`-separated, such as `policies/modelarts-training-full-access.json`. */
  path: string;
  kind: FileKind;
  content: string;
  /** The template it was rendered from, relative to the templates directory, named in the banner. */
  template?: string;
  /**
   * The content is already exactly as prettier would leave it, banner added (a test proves it),
   * so the pipeline does not format it again: formatting the copied runtime took half of `check`.
   */
  preformatted?: boolean;
}

export interface EmitContext {
  /** Absolute path of the templates directory (`templates/` unless `--templates` says otherwise). */
  templatesDir: string;
}

export type Emitter = (model: Model, context: EmitContext) => EmittedFile[] | Promise<EmittedFile[]>;
