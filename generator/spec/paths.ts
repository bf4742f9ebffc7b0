/**
 * Path templates as the tables write them: `/v1/{project_id}/training-jobs/{job_id}`.
 *
 * A template is a leading `/` and segments separated by `/`; a segment is either static text or
 * exactly one `{name}` parameter. Parameters inside a segment (`/file.{ext}`) are not supported:
 * no table seen uses them, and a matcher on whole segments stays simple and fast.
 */

export type Segment = { kind: "static"; text: string } | { kind: "param"; name: string };

export interface PathProblem {
  /** Offset into the template, from 0, where the problem starts. */
  offset: number;
  message: string;
  hint: string;
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STATIC_TEXT = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%]+$/;

/** Splits a valid template into segments; call `checkPath` first on untrusted input. */
export function parsePath(path: string): Segment[] {
  return path
    .slice(1)
    .split("/")
    .filter((text) => text !== "")
    .map((text) =>
      text.startsWith("{") && text.endsWith("}")
        ? { kind: "param", name: text.slice(1, -1) }
        : { kind: "static", text },
    );
}

export function pathParams(path: string): string[] {
  return parsePath(path).flatMap((s) => (s.kind === "param" ? [s.name] : []));
}

/**
 * The template with every parameter name replaced, so that `/a/{x}` and `/a/{y}` compare equal:
 * both match the same requests.
 */
export function pathShape(path: string): string {
  return parsePath(path)
    .map((s) => (s.kind === "param" ? "{}" : s.text))
    .reduce((acc, text) => `${acc}/${text}`, "");
}

/** Every problem with a template, in order; an empty list means `parsePath` can read it. */
export function checkPath(path: string): PathProblem[] {
  if (!path.startsWith("/")) {
    return [{ offset: 0, message: `path ${JSON.stringify(path)} does not start with "/"`, hint: 'write it from the root, as "/v1/..."' }];
  }

  const problems: PathProblem[] = [];
  const seen = new Set<string>();
  let offset = 1;
  const segments = path.slice(1).split("/");

  segments.forEach((text, index) => {
    const last = index === segments.length - 1;
    problems.push(...checkSegment(text, offset, last, seen));
    offset += text.length + 1;
  });
  return problems;
}

function checkSegment(text: string, offset: number, last: boolean, seen: Set<string>): PathProblem[] {
  if (text === "") {
    if (last && offset === 1) return [];
    return [
      last
        ? { offset: offset - 1, message: "path ends with \"/\"", hint: "remove the trailing slash" }
        : { offset, message: "path has an empty segment (\"//\")", hint: "remove the extra slash" },
    ];
  }

  const opens = count(text, "{");
  const closes = count(text, "}");
  if (opens !== closes) {
    return [{ offset, message: `unbalanced braces in segment ${JSON.stringify(text)}`, hint: "close each \"{\" with \"}\" before the next \"/\"" }];
  }
  if (opens === 0) {
    return STATIC_TEXT.test(text)
      ? []
      : [{ offset, message: `segment ${JSON.stringify(text)} has characters a URL path cannot hold`, hint: "percent-encode them or remove them" }];
  }
  if (opens > 1 || !text.startsWith("{") || !text.endsWith("}")) {
    return [{ offset, message: `segment ${JSON.stringify(text)} mixes a parameter with other text`, hint: "make the parameter a whole segment, as \"/{name}\"" }];
  }

  const name = text.slice(1, -1);
  if (!PARAM_NAME.test(name)) {
    return [{ offset: offset + 1, message: `parameter name ${JSON.stringify(name)} is not an identifier`, hint: "use letters, digits and \"_\", not starting with a digit" }];
  }
  if (name === "__proto__") {
    // As a key of the params object it would set the prototype instead of holding the value.
    return [{ offset: offset + 1, message: 'parameter name "__proto__" cannot be a key of the params object', hint: "rename the parameter" }];
  }
  if (seen.has(name)) {
    return [{ offset: offset + 1, message: `parameter "${name}" appears twice in the path`, hint: "give each parameter its own name" }];
  }
  seen.add(name);
  return [];
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
