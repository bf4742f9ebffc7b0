import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Model } from "../generator/model.js";
import {
  modelOf,
  permission,
  realModel,
  loadRoutes,
  removeEmitted,
  type RoutesModule,
} from "./helpers/emitted.js";

afterAll(removeEmitted);


/** The id of the real spec's route with this method and path, so tests do not depend on id wording. */
function idOf(model: Model, method: string, path: string): string {
  const route = model.routes.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`the real spec has no route ${method} ${path}`);
  return route.id;
}

/** Rows of the development environment table, with `/images/group` beside `/images/{id}`. */
const devEnvironment = modelOf([
  permission("listImages", "GET /v1/{project_id}/images", ["modelarts:image:list"]),
  permission("showImage", "GET /v1/{project_id}/images/{id}", ["modelarts:image:get"]),
  permission("listImageGroups", "GET /v1/{project_id}/images/group", ["modelarts:image:listGroup"]),
  permission("deleteImage", "DELETE /v1/{project_id}/images/{id}", ["modelarts:image:delete"]),
  permission("createStorage", "POST /v1/{project_id}/notebooks/{instance_id}/storage", [
    "modelarts:notebook:mount",
  ]),
  permission("startNotebook", "POST /v1/{project_id}/notebooks/{id}/start", [
    "modelarts:notebook:start",
  ]),
  permission("showStorage", "GET /v1/{project_id}/notebooks/{instance_id}/storage/{storage_id}", [
    "modelarts:notebook:get",
  ]),
  // Not in the table: two routes whose static branch fails only two segments further on.
  permission("listGroupMembers", "GET /v1/{project_id}/images/group/{group_id}/members"),
  permission("listImageTags", "GET /v1/{project_id}/images/{id}/tags"),
  permission("headImage", "HEAD /v1/{project_id}/images/{id}/tags"),
]);

describe("matcher > the real training routes", () => {
  let real: Model;
  let routes: RoutesModule;
  beforeAll(async () => {
    real = realModel();
    routes = await loadRoutes(real);
  });

  it("returns the route's id, decoded params, actions and access level", () => {
    const id = idOf(
      real,
      "POST",
      "/v1/{project_id}/training-jobs/{job_id}/versions/{version_id}/stop",
    );

    expect(routes.matchRoute("POST", "/v1/p1/training-jobs/42/versions/7/stop")).toEqual({
      id,
      params: { project_id: "p1", job_id: "42", version_id: "7" },
      actions: ["modelarts:trainJobVersion:stop"],
      access: routes.routes[id]?.access,
    });
  });

  it("tells routes apart by method on the same path", () => {
    const path = "/v1/p/training-jobs/9";

    expect(routes.matchRoute("DELETE", path)?.id).toBe(
      idOf(real, "DELETE", "/v1/{project_id}/training-jobs/{job_id}"),
    );
    expect(routes.matchRoute("PUT", path)?.id).toBe(
      idOf(real, "PUT", "/v1/{project_id}/training-jobs/{job_id}"),
    );
    expect(routes.matchRoute("PATCH", path)).toBeUndefined();
  });

  it("ignores the query string and the fragment", () => {
    const list = idOf(real, "GET", "/v1/{project_id}/training-jobs");

    expect(routes.matchRoute("GET", "/v1/p/training-jobs?limit=10&offset=0")?.id).toBe(list);
    expect(routes.matchRoute("GET", "/v1/p/training-jobs#top")?.id).toBe(list);
    expect(routes.matchRoute("GET", "/v1/p/training-jobs#a?b/c")?.id).toBe(list);
    expect(routes.matchRoute("GET", "/v1/p?x=/training-jobs")).toBeUndefined();
  });

  it("decodes parameter values, and an encoded / stays inside its segment", () => {
    const versions = idOf(real, "GET", "/v1/{project_id}/training-jobs/{job_id}/versions");

    expect(routes.matchRoute("GET", "/v1/p%20q/training-jobs/a%2Fb/versions")).toMatchObject({
      id: versions,
      params: { project_id: "p q", job_id: "a/b" },
    });
    expect(
      routes.matchRoute("GET", "/v1/%E4%BD%A0/training-jobs/%2F%3F%23%25/versions")?.params,
    ).toEqual({
      project_id: "你",
      job_id: "/?#%",
    });
    expect(routes.matchRoute("GET", "/v1/p/training-jobs/a+b/versions")?.params.job_id).toBe("a+b");
  });

  it("answers invalid percent-encoding with no match, not an exception", () => {
    for (const value of ["%", "%zz", "%E0%A4%A", "%C3", "%ED%A0%80"]) {
      expect(
        routes.matchRoute("GET", `/v1/p/training-jobs/${value}/versions`),
        value,
      ).toBeUndefined();
    }
  });

  it("compares methods case-insensitively and answers HEAD with the GET route", () => {
    const get = idOf(real, "GET", "/v1/{project_id}/built-in-algorithms");

    expect(routes.matchRoute("get", "/v1/p/built-in-algorithms")?.id).toBe(get);
    expect(routes.matchRoute("Get", "/v1/p/built-in-algorithms")?.id).toBe(get);
    expect(routes.matchRoute("HEAD", "/v1/p/built-in-algorithms")?.id).toBe(get);
    expect(routes.matchRoute("head", "/v1/p/built-in-algorithms")?.id).toBe(get);
    expect(routes.matchRoute("HEAD", "/v1/p/training-jobs/9/versions/1/stop")).toBeUndefined();
    expect(routes.matchRoute("BREW", "/v1/p/built-in-algorithms")).toBeUndefined();
  });

  it("ignores one trailing slash and matches nothing for any other empty segment", () => {
    const list = idOf(real, "GET", "/v1/{project_id}/training-jobs");

    expect(routes.matchRoute("GET", "/v1/p/training-jobs/")?.id).toBe(list);
    expect(routes.matchRoute("GET", "/v1/p/training-jobs/?limit=1")?.id).toBe(list);
    expect(routes.matchRoute("GET", "/v1/p/training-jobs//")).toBeUndefined();
    expect(routes.matchRoute("GET", "/v1//training-jobs")).toBeUndefined();
    expect(routes.matchRoute("GET", "/v1/p//training-jobs")).toBeUndefined();
    expect(routes.matchRoute("GET", "//v1/p/training-jobs")).toBeUndefined();
  });

  it("matches a URL with scheme and host like its path, and nothing that is neither", () => {
    const list = idOf(real, "GET", "/v1/{project_id}/training-jobs");
    const host = "https://modelarts.eu-de.otc.t-systems.com";

    expect(routes.matchRoute("GET", `${host}/v1/p/training-jobs`)?.id).toBe(list);
    expect(routes.matchRoute("GET", `${host}:443/v1/p/training-jobs?x=1#y`)?.id).toBe(list);
    expect(routes.matchRoute("GET", `${host}/v1/p/training-jobs/`)?.id).toBe(list);
    expect(routes.matchRoute("GET", host)).toBeUndefined();
    expect(routes.matchRoute("GET", "v1/p/training-jobs")).toBeUndefined();
    expect(routes.matchRoute("GET", "*")).toBeUndefined();
    expect(routes.matchRoute("GET", "")).toBeUndefined();
  });

  it("compares static segments as written, without decoding them", () => {
    expect(routes.matchRoute("GET", "/v1/p/training%2Djobs")).toBeUndefined();
    expect(routes.matchRoute("GET", "/V1/p/training-jobs")).toBeUndefined();
  });

  it("takes dot segments as values, without resolving them", () => {
    expect(routes.matchRoute("DELETE", "/v1/p/training-jobs/..")?.params.job_id).toBe("..");
    expect(routes.matchRoute("GET", "/v1/./training-jobs")?.params.project_id).toBe(".");
  });

  it("matches nothing shorter, longer or beside every route", () => {
    for (const url of [
      "/",
      "/v1",
      "/v1/p",
      "/v1/p/training-jobs/9/versions/1/stop/now",
      "/v2/p/training-jobs",
    ]) {
      expect(routes.matchRoute("GET", url), url).toBeUndefined();
      expect(routes.matchRoute("POST", url), url).toBeUndefined();
    }
  });

  it("matches every route back from the path buildPath makes, whatever the values", () => {
    const reserved = fc.constantFrom(..."/?#%&=+ .~:@;,");
    const nonAscii = fc.constantFrom("é", "你", "😀", "\u2028");
    const anyCodePoint = fc.string({ unit: "binary", minLength: 1, maxLength: 1 });
    const value = fc
      .string({ unit: fc.oneof(reserved, nonAscii, anyCodePoint), minLength: 1 })
      .filter((v) => v !== "." && v !== "..");

    for (const route of real.routes) {
      const params = fc.record(Object.fromEntries(route.params.map((name) => [name, value])));
      fc.assert(
        fc.property(params, (values) => {
          const found = routes.matchRoute(route.method, routes.buildPath(route.id, values));
          expect(found?.id).toBe(route.id);
          expect(found?.params).toEqual(values);
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe("matcher > static and parameter segments side by side", () => {
  let routes: RoutesModule;
  beforeAll(async () => {
    routes = await loadRoutes(devEnvironment);
  });

  it("lets a static segment win over a parameter", () => {
    expect(routes.matchRoute("GET", "/v1/p/images/group")?.id).toBe("listImageGroups");
    expect(routes.matchRoute("GET", "/v1/p/images/img-1")).toMatchObject({
      id: "showImage",
      params: { id: "img-1" },
    });
    expect(routes.matchRoute("GET", "/v1/p/images/group/g1/members")).toMatchObject({
      id: "listGroupMembers",
      params: { project_id: "p", group_id: "g1" },
    });
  });

  it("backtracks to the parameter when the static branch fails further on", () => {
    expect(routes.matchRoute("GET", "/v1/p/images/group/tags")).toEqual({
      id: "listImageTags",
      params: { project_id: "p", id: "group" },
      actions: [],
      access: "read",
    });
    expect(routes.matchRoute("GET", "/v1/p/images/group/g1/tags")).toBeUndefined();
  });

  it("lets a static route of one method not hide a parameter route of another", () => {
    expect(routes.matchRoute("DELETE", "/v1/p/images/group")).toMatchObject({
      id: "deleteImage",
      params: { id: "group" },
    });
  });

  it("names parameters per route where two routes share a parameter position", () => {
    expect(routes.matchRoute("GET", "/v1/p/notebooks/n1/storage/s1")?.params).toEqual({
      project_id: "p",
      instance_id: "n1",
      storage_id: "s1",
    });
    expect(routes.matchRoute("POST", "/v1/p/notebooks/n1/start")?.params).toEqual({
      project_id: "p",
      id: "n1",
    });
  });

  it("returns params without a prototype, so only the route's own names are in them", () => {
    const params = routes.matchRoute("GET", "/v1/p/images/toString")?.params ?? {};

    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(Object.keys(params)).toEqual(["project_id", "id"]);
    expect("constructor" in params).toBe(false);
  });

  it("answers HEAD with a HEAD route where one exists", () => {
    expect(routes.matchRoute("HEAD", "/v1/p/images/i/tags")?.id).toBe("headImage");
    expect(routes.matchRoute("HEAD", "/v1/p/images/i")?.id).toBe("showImage");
  });

  it("gives a route the first of two routes of the same shape, in table order", async () => {
    const twins = await loadRoutes(
      modelOf([permission("first", "GET /jobs/{a}"), permission("second", "GET /jobs/{b}")]),
    );

    expect(twins.matchRoute("GET", "/jobs/1")).toMatchObject({ id: "first", params: { a: "1" } });
  });

  it("matches the root path and a long list of static siblings alike", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `resource-${i}`);
    const many = await loadRoutes(
      modelOf([
        permission("root", "GET /"),
        ...names.map((name, i) => permission(`list${i}`, `GET /v1/${name}`)),
      ]),
    );

    expect(many.matchRoute("GET", "/")?.id).toBe("root");
    expect(many.matchRoute("GET", "https://host")?.id).toBe("root");
    expect(many.matchRoute("GET", "https://host?x=1")?.id).toBe("root");
    names.forEach((name, i) => expect(many.matchRoute("GET", `/v1/${name}`)?.id).toBe(`list${i}`));
    expect(many.matchRoute("GET", "/v1/resource-12")).toBeUndefined();
  });

  it("matches back every built path, except where a value equals a static sibling", () => {
    const value = fc
      .string({ unit: "binary", minLength: 1 })
      .filter((v) => v !== "." && v !== ".." && v !== "group");

    for (const route of devEnvironment.routes) {
      const params = fc.record(Object.fromEntries(route.params.map((name) => [name, value])));
      fc.assert(
        fc.property(params, (values) => {
          const found = routes.matchRoute(route.method, routes.buildPath(route.id, values));
          expect(found).toMatchObject({ id: route.id, params: values });
        }),
        { numRuns: 100 },
      );
    }
  });
});
