/**
 * `permgen import`'s core: a documentation page's text in, a spec and everything worth telling
 * the user out. Nothing here touches the disk.
 *
 * The steps: read the page and its tables; read each row's cells; settle the routes (repairs
 * need the whole page); give ids, keeping those of an existing spec; carry over what the existing
 * spec keeps; assemble the spec.
 */
import { InputError, sortDiagnostics, type Diagnostic, type Position } from "../diagnostics.js";
import { actionName, type Permission, type Spec } from "../spec/types.js";
import type { Finding } from "./cell-text.js";
import { assignIds, matchExisting } from "./ids.js";
import { mergeExisting, type ExistingSpec } from "./merge.js";
import { readPage, type Page } from "./page.js";
import { pageServices, readRow, type Draft } from "./row.js";
import { settleRoutes } from "./routes.js";
import { permissionTables, type PermissionTable } from "./table-rows.js";

export type { ExistingSpec } from "./merge.js";

export interface ImportResult {
  spec: Spec;
  /** Warnings about the source, sorted by position. */
  diagnostics: Diagnostic[];
  /** With an existing spec: one line per row that is new, gone or changed. */
  changes: string[];
}

/** Imports a page; unusable input is an `InputError`, anything merely doubtful a warning. */
export function importPage(text: string, file: string, existing?: ExistingSpec): ImportResult {
  const findings: Finding[] = [];
  const page = readPage(text, file, findings);
  const tables = permissionTables(page.tables, findings);
  if (tables.length === 0) throw noPermissionTable(page, file);

  const drafts = readDrafts(tables, findings);
  settleRoutes(drafts, findings);

  const entries = drafts.map((draft) => draft.permission);
  const previous = existing?.spec.permissions ?? [];
  const matches = matchExisting(entries, previous);
  assignIds(entries, matches, previous).forEach((id, index) => {
    const entry = entries[index];
    if (entry) entry.id = id;
  });

  const changes = existing
    ? mergeExisting(
        entries,
        drafts.map((d) => d.at),
        matches,
        existing,
        file,
      )
    : [];
  if (existing && existing.spec.source.page !== page.page) findings.push(otherPage(existing, page));

  const spec = assemble(page, tables, entries, existing);
  const diagnostics = findings.map((f): Diagnostic => ({ file, severity: "warning", ...f }));
  return { spec, diagnostics: sortDiagnostics(diagnostics), changes };
}

function readDrafts(tables: readonly PermissionTable[], findings: Finding[]): Draft[] {
  const rows = tables.flatMap((table) => table.rows);
  const services = pageServices(rows);
  return rows.map((row) => readRow(row, tables.length, services, findings));
}

function assemble(
  page: Page,
  tables: readonly PermissionTable[],
  permissions: Permission[],
  existing: ExistingSpec | undefined,
): Spec {
  return {
    service: existing?.spec.service ?? serviceOf(permissions, page.page),
    source: {
      page: page.page,
      title: page.title,
      ...(page.intro !== undefined ? { intro: page.intro } : {}),
      tables: tables.map((table) => ({ caption: table.caption, columns: table.columns })),
    },
    ...(existing?.spec.policySets ? { policySets: existing.spec.policySets } : {}),
    permissions,
  };
}

/** The service prefix most actions on the page use; without actions, the page id's first word. */
function serviceOf(permissions: readonly Permission[], page: string): string {
  const counts = new Map<string, number>();
  for (const name of permissions.flatMap((p) => p.actions.map(actionName))) {
    const service = name.slice(0, name.indexOf(":"));
    counts.set(service, (counts.get(service) ?? 0) + 1);
  }

  let best = "";
  for (const [service, count] of counts) {
    if (count > (counts.get(best) ?? 0)) best = service;
  }
  return best || (/^[a-z]+/.exec(page.toLowerCase())?.[0] ?? "service");
}

function noPermissionTable(page: Page, file: string): InputError {
  const at: Position = page.tables[0]?.at ?? { line: 1, column: 1 };
  return new InputError({
    file,
    ...at,
    code: "no-permission-table",
    message: "no table on the page has both a Permission and an Action column",
    hint: "give the page that lists the service's permissions and actions",
  });
}

function otherPage(existing: ExistingSpec, page: Page): Finding {
  return {
    line: 1,
    column: 1,
    code: "other-page",
    message: `the page is ${JSON.stringify(page.page)} but ${existing.file} was imported from ${JSON.stringify(existing.spec.source.page)}`,
    hint: "check that --spec names the spec of this page",
  };
}
