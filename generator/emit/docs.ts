/**
 * The documentation, rendered from `templates/docs/*.md.hbs`: one page per spec with a section per
 * resource type, an index from action to operations, a matrix of policies against actions, the
 * errata page and a contents page; and each spec's source table again as reStructuredText.
 *
 * Every spec string reaches a template as data and is written through the `cell` or `code` helper,
 * so no description can break a table. Links are built here, once, from the same names the pages
 * and policy files get.
 */
import { fileError } from "../diagnostics.js";
import type { ActionModel, Model, RouteModel, SpecModel } from "../model.js";
import type { Permission } from "../spec/types.js";
import type { EmitContext, EmittedFile } from "./file.js";
import { loadTemplates, type Templates } from "./handlebars.js";
import { planPolicies, safeName, type PolicyPlan } from "./policies.js";
import { renderRstPage } from "./rst-table.js";

/** The pages every output has, beside one page per spec. */
const SHARED_PAGES = ["README", "actions", "policies", "errata"];

/** The Markdown pages (contents, one per spec, actions, policies, errata) and the `.rst` pages. */
export function emitDocs(model: Model, context: EmitContext): EmittedFile[] {
  const templates = loadTemplates(context.templatesDir);
  const pages = model.specs.map(specPage);
  const plans = planPolicies(model);

  return [
    page(templates, "README", "index.md.hbs", () => ({ specs: pages })),
    ...pages.map((p) => page(templates, p.pageName, "spec.md.hbs", () => p)),
    page(templates, "actions", "actions.md.hbs", () => ({ specs: pages.map(actionsSection) })),
    page(templates, "policies", "policies.md.hbs", () => ({
      specs: model.specs.map((s) => policiesSection(s, plans)),
    })),
    page(templates, "errata", "errata.md.hbs", () => ({ specs: model.specs.map(errataSection) })),
    ...pages.map((p) => sourcePage(p)),
  ];
}

/**
 * A page rendered when its content is read, and again on each read: the pipeline reads each once
 * and drops it, so on a large spec only one page, of tens of megabytes, is in memory at a time.
 */
function page(templates: Templates, name: string, template: string, data: () => object): EmittedFile {
  return {
    path: `docs/${name}.md`,
    kind: "md",
    get content() {
      return templates.render(`docs/${template}`, data());
    },
    template: `docs/${template}`,
  };
}

/** The source table regenerated from the spec, as `docs/<spec>.rst`, rendered when read. */
function sourcePage(page: SpecPage): EmittedFile {
  return {
    path: `docs/${page.pageName}.rst`,
    kind: "rst",
    get content() {
      return renderRstPage(page.spec.source.spec);
    },
  };
}

interface SpecPage {
  pageName: string;
  title: string;
  pageId: string;
  specFile: string;
  spec: SpecModel;
  sections: Section[];
}

interface Section {
  heading: string;
  anchor: string;
  /** The resource type the section covers; undefined for operations that need no action. */
  resourceType?: string;
  rows: Row[];
}

interface Row {
  description: string;
  method: string;
  path: string;
  actions: { action: string; label: string }[];
  access: string;
  iamProject: boolean;
  enterpriseProject: boolean;
}

const NO_ACTION_HEADING = "Operations that need no action";

function specPage(spec: SpecModel): SpecPage {
  const pageName = safeName(spec.source.name);
  if (pageName === "" || SHARED_PAGES.some((p) => p.toLowerCase() === pageName.toLowerCase())) {
    throw fileError(
      spec.source.file,
      "spec-name",
      `a spec named ${JSON.stringify(spec.source.name)} cannot have its own docs page`,
      `rename the spec file; ${SHARED_PAGES.join(", ")} are taken`,
    );
  }
  const permissions = new Map(spec.permissions.map((p) => [p.id, p]));
  const row = (route: RouteModel): Row => routeRow(route, permissions.get(route.permissionId));
  const slugs = new Slugger();

  const routesByType = groupByResourceType(spec.routes);
  const sections: Section[] = spec.resourceTypes.map((type) => ({
    heading: type,
    anchor: slugs.slug(type),
    resourceType: type,
    rows: (routesByType.get(type) ?? []).map(row),
  }));
  const unguarded = spec.routes.filter((r) => r.actions.length === 0);
  if (unguarded.length > 0) {
    sections.push({
      heading: NO_ACTION_HEADING,
      anchor: slugs.slug(NO_ACTION_HEADING),
      rows: unguarded.map(row),
    });
  }

  const { source } = spec.source.spec;
  return {
    pageName,
    title: source.title,
    pageId: source.page,
    specFile: spec.source.file,
    spec,
    sections,
  };
}

function routeRow(route: RouteModel, permission: Permission | undefined): Row {
  const query = route.query.length > 0 ? `{?${route.query.join(",")}}` : "";
  const labels = new Map(
    (permission?.actions ?? []).flatMap((a) =>
      typeof a === "string" ? [] : [[a.action, a.label]],
    ),
  );

  return {
    description: route.description,
    method: route.method,
    path: `${route.path}${query}`,
    actions: route.actions.map((action) => ({ action, label: labels.get(action) ?? "" })),
    access: route.access,
    iamProject: route.scopes.iamProject,
    enterpriseProject: route.scopes.enterpriseProject,
  };
}

function resourceTypeOf(action: string): string {
  return action.split(":")[1] ?? "";
}

/** Heading anchors as GitHub makes them: lowercase, punctuation dropped, spaces to dashes. */
export class Slugger {
  private readonly seen = new Map<string, number>();

  slug(heading: string): string {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
      .replace(/ /g, "-");
    const count = this.seen.get(base) ?? 0;
    this.seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  }
}

function actionsSection(page: SpecPage) {
  const { spec } = page;
  const descriptions = new Map(spec.permissions.map((p) => [p.id, p.description]));
  const anchors = new Map(page.sections.map((s) => [s.resourceType, s.anchor]));

  return {
    title: page.title,
    pageName: page.pageName,
    actions: spec.actions.map((a: ActionModel) => ({
      action: a.action,
      access: a.access,
      iamProject: a.scopes.iamProject,
      enterpriseProject: a.scopes.enterpriseProject,
      operations: a.permissionIds.map((id) => ({
        description: descriptions.get(id) ?? id,
        href: `${page.pageName}.md#${anchors.get(a.resourceType) ?? ""}`,
      })),
    })),
  };
}

function policiesSection(spec: SpecModel, plans: readonly PolicyPlan[]) {
  const own = plans.filter((p) => p.definition.specName === spec.source.name);
  const written = own.filter((p) => p.documents.length > 0);

  return {
    title: spec.source.spec.source.title,
    policies: written.map(({ definition, paths }) => ({
      name: definition.name,
      label: definition.label,
      description: definition.description,
      allowCount: definition.allow.length,
      denyCount: definition.deny.length,
      files: paths.map((path) => ({ name: path.slice("policies/".length), href: `../${path}` })),
    })),
    empty: own
      .filter((p) => p.documents.length === 0)
      .map((p) => ({ name: p.definition.name, label: p.definition.label })),
    ...policyMatrix(spec, own),
  };
}

/**
 * One row per action: Allow or Deny under each written policy that is not per resource type, then
 * the one policy of the action's resource type by name. Those policies get no column each, so the
 * matrix grows with the actions, not with actions times resource types.
 */
function policyMatrix(spec: SpecModel, own: readonly PolicyPlan[]) {
  const columns = own.filter(
    (p) => p.documents.length > 0 && p.definition.kind !== "resource-type",
  );
  const sets = columns.map((p) => ({
    allow: new Set(p.definition.allow),
    deny: new Set(p.definition.deny),
  }));
  const ofType = resourceTypePolicyOf(own);

  return {
    columns: columns.map((p) => p.definition.label),
    matrix: spec.actions.map((a) => ({
      action: a.action,
      cells: sets.map(({ allow, deny }) =>
        [allow.has(a.action) ? "Allow" : "", deny.has(a.action) ? "Deny" : ""]
          .filter(Boolean)
          .join(", "),
      ),
      // A wildcard resource type such as `*` gets no policy, so its actions name none.
      resourceTypePolicy: ofType.get(a.action) ?? { label: "", href: "" },
    })),
  };
}

/** A policy named in a matrix cell; no link when it is not written. */
interface PolicyLink {
  label: string;
  href: string;
}

/** For each action, the per-resource-type policy that allows it, linked to its (first) file. */
function resourceTypePolicyOf(own: readonly PolicyPlan[]): Map<string, PolicyLink> {
  const byAction = new Map<string, PolicyLink>();

  for (const { definition, paths } of own) {
    if (definition.kind !== "resource-type") continue;
    const first = paths[0];
    const policy = { label: definition.label, href: first === undefined ? "" : `../${first}` };
    for (const action of definition.allow) byAction.set(action, policy);
  }
  return byAction;
}

/** The routes that need an action of each resource type, in spec order, without repeats. */
function groupByResourceType(routes: readonly RouteModel[]): Map<string, RouteModel[]> {
  const byType = new Map<string, RouteModel[]>();

  for (const route of routes) {
    for (const type of new Set(route.actions.map(resourceTypeOf))) {
      const list = byType.get(type) ?? [];
      list.push(route);
      byType.set(type, list);
    }
  }
  return byType;
}

function errataSection(spec: SpecModel) {
  const errata = spec.permissions.flatMap((p) =>
    (p.errata ?? []).map((e) => ({ id: p.id, description: p.description, ...e })),
  );
  const verbatim = spec.permissions.flatMap((p) =>
    Object.entries(p.verbatim ?? {}).map(([column, text]) => ({
      id: p.id,
      description: p.description,
      column,
      text: String(text),
    })),
  );

  return { title: spec.source.spec.source.title, specFile: spec.source.file, errata, verbatim };
}
