/**
 * Whether a row's wording fits its HTTP method: "Deleting a Job" on a GET is more likely a typo in
 * the table than a real API, so lint warns.
 *
 * Only the leading word counts, and only the verbs below; any other wording passes. Each verb
 * lists the methods it fits. POST fits reading verbs because tables list and query with POST,
 * and deleting verbs because batch deletes are POSTs to a `.../delete` path.
 */
import type { HttpMethod } from "./types.js";

const READ: readonly HttpMethod[] = ["GET", "HEAD", "POST", "OPTIONS"];
const DELETE: readonly HttpMethod[] = ["DELETE", "POST"];
const CREATE: readonly HttpMethod[] = ["POST", "PUT"];
const CHANGE: readonly HttpMethod[] = ["PUT", "PATCH", "POST"];
const OPERATE: readonly HttpMethod[] = ["POST", "PUT", "PATCH", "DELETE"];

const FITS: ReadonlyMap<string, readonly HttpMethod[]> = new Map([
  ...group(
    READ,
    "querying viewing obtaining listing getting checking searching displaying showing downloading previewing reading",
  ),
  ...group(DELETE, "deleting removing"),
  ...group(CREATE, "creating adding uploading registering"),
  ...group(CHANGE, "modifying updating changing editing renaming"),
  ...group(
    OPERATE,
    "stopping starting restarting running executing cancelling canceling resuming pausing",
  ),
]);

/** The description's leading verb when it does not fit the method; undefined when it does. */
export function verbMismatch(description: string, method: HttpMethod): string | undefined {
  const verb = description.trim().split(/\s+/)[0] ?? "";
  const fits = FITS.get(verb.toLowerCase());
  return fits && !fits.includes(method) ? verb : undefined;
}

function group(
  methods: readonly HttpMethod[],
  verbs: string,
): Array<[string, readonly HttpMethod[]]> {
  return verbs.split(" ").map((verb) => [verb, methods]);
}
