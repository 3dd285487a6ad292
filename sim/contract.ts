/**
 * Twilio's REST contract, read from Twilio's own OpenAPI descriptions (twilio-oai), as a check
 * the stand-in runs on every request: the right path and method, well-formed path SIDs, only
 * declared parameters, required ones present, enum values, integers, booleans and URLs as the
 * spec types them. A request Twilio would refuse is refused here with the reason, as a Prism
 * mock of the spec would answer 422.
 *
 * The descriptions live beside the project in ../shared/twilio-oai and are never copied into it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RequestValidator } from './standin';

/** The three APIs Pull Phone calls: api.twilio.com 2010, lookups.twilio.com v2, sync.twilio.com v1. */
export const SPEC_FILES = ['twilio_api_v2010.json', 'twilio_lookups_v2.json', 'twilio_sync_v1.json'] as const;

export interface ContractRequest {
  method: string;
  host: string;
  /** As the stand-in records it: decoded, without the host, e.g. /2010-04-01/Accounts/AC…/Queues.json. */
  path: string;
  /** Query and form body merged, with Twilio's PascalCase names. */
  params: Record<string, string>;
}

export interface Contract {
  /** Undefined when Twilio's description accepts the request, else why not. */
  validate: RequestValidator;
  /** The spec's operationId for a request (CreateMessage, ListMember, …), or undefined when no operation matches. */
  operationOf: (request: Pick<ContractRequest, 'method' | 'host' | 'path'>) => string | undefined;
}

// --- the part of OpenAPI 3.0 these descriptions use ---

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  'x-twilio'?: { ignoreFormat?: boolean };
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema } | undefined> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

type PathItem = Partial<Record<Method, Operation>> & { servers?: { url: string }[]; parameters?: Parameter[] };

interface OpenApiDocument {
  servers?: { url: string }[];
  paths: Record<string, PathItem>;
  components?: { schemas?: Record<string, Schema> };
}

interface Route {
  file: string;
  host: string;
  template: string;
  pattern: RegExp;
  names: string[];
  /** Characters outside {placeholders}: the more, the more specific the template. */
  literal: number;
  item: PathItem;
  schemas: Record<string, Schema>;
}

/** The repository root: the nearest folder above this file with a package.json (sim/ in source, dist/… when bundled). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(__dirname, '..');
    dir = parent;
  }
  return dir;
}

export function contractDir(): string {
  return path.join(repoRoot(), '..', 'shared', 'twilio-oai');
}

/** True when Twilio's descriptions are beside the project (they are in CI). */
export function contractAvailable(dir: string = contractDir()): boolean {
  return SPEC_FILES.every((file) => existsSync(path.join(dir, file)));
}

const loaded = new Map<string, Contract>();

/**
 * The contract, or undefined when ../shared/twilio-oai is absent.
 * A folder that exists but lacks one of the descriptions is a broken checkout, not an absent
 * contract: that throws, so a check is never skipped by accident.
 */
export function loadContract(dir: string = contractDir()): Contract | undefined {
  const cached = loaded.get(dir);
  if (cached !== undefined) return cached;
  if (!existsSync(dir)) return undefined;
  const routes: Route[] = [];
  for (const file of SPEC_FILES) {
    const full = path.join(dir, file);
    if (!existsSync(full)) throw new Error(`${full} is missing: the REST contract needs ${SPEC_FILES.join(', ')}`);
    // The file is an OpenAPI 3.0 document; the interfaces above describe the part read here.
    routes.push(...routesOf(file, JSON.parse(readFileSync(full, 'utf8')) as OpenApiDocument));
  }
  const contract: Contract = {
    validate: (request) => validate(routes, request),
    operationOf: (request) => {
      const route = matchRoute(routes, request.host, request.path);
      return route === undefined ? undefined : operation(route.route.item, request.method)?.operationId;
    },
  };
  loaded.set(dir, contract);
  return contract;
}

/** The validator to install as `standIn.validator`, or undefined when the descriptions are absent. */
export function contractValidator(dir: string = contractDir()): RequestValidator | undefined {
  return loadContract(dir)?.validate;
}

function routesOf(file: string, doc: OpenApiDocument): Route[] {
  const schemas = doc.components?.schemas ?? {};
  return Object.entries(doc.paths).map(([template, item]) => {
    const server = item.servers?.[0]?.url ?? doc.servers?.[0]?.url ?? '';
    const names: string[] = [];
    let literal = 0;
    const source = template.split(/(\{[^}]+\})/).map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name !== undefined) {
        names.push(name);
        return '([^/]+)';
      }
      literal += part.length;
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('');
    return { file, host: new URL(server).hostname, template, pattern: new RegExp(`^${source}$`), names, literal, item, schemas };
  });
}

function matchRoute(routes: readonly Route[], host: string, requestPath: string): { route: Route; values: string[] } | undefined {
  let best: { route: Route; values: string[] } | undefined;
  for (const route of routes) {
    if (route.host !== host) continue;
    const match = route.pattern.exec(requestPath);
    if (match === null) continue;
    if (best === undefined || route.literal > best.route.literal) best = { route, values: match.slice(1).map((v) => v) };
  }
  return best;
}

function operation(item: PathItem, method: string): Operation | undefined {
  const key = method.toLowerCase();
  return (METHODS as readonly string[]).includes(key) ? item[key as Method] : undefined;
}

function validate(routes: readonly Route[], request: ContractRequest): string | undefined {
  if (!routes.some((r) => r.host === request.host)) return `${request.host} is not one of the described Twilio APIs`;
  const matched = matchRoute(routes, request.host, request.path);
  if (matched === undefined) return `no path in ${routes.find((r) => r.host === request.host)?.file ?? ''} matches ${request.path}`;
  const { route, values } = matched;
  const where = `${request.method} ${route.template}`;
  const op = operation(route.item, request.method);
  if (op === undefined) {
    const allowed = METHODS.filter((m) => route.item[m] !== undefined).map((m) => m.toUpperCase());
    return `${request.method} is not an operation of ${route.template} (it has ${allowed.join(', ')})`;
  }
  const parameters = [...(route.item.parameters ?? []), ...(op.parameters ?? [])];

  for (const [i, name] of route.names.entries()) {
    const value = values[i] ?? '';
    const declared = parameters.find((p) => p.in === 'path' && p.name === name);
    const problem = declared?.schema === undefined ? undefined : checkValue(value, declared.schema, route.schemas);
    if (problem !== undefined) return `${where}: path parameter ${name} ${problem}`;
  }

  const declared = new Map<string, Schema>();
  const required: string[] = [];
  for (const p of parameters) {
    if (p.in !== 'query') continue;
    declared.set(p.name, p.schema ?? {});
    if (p.required === true) required.push(p.name);
  }
  const form = op.requestBody?.content['application/x-www-form-urlencoded']?.schema;
  const body = form === undefined ? undefined : resolve(form, route.schemas);
  for (const [name, schema] of Object.entries(body?.properties ?? {})) declared.set(name, schema);
  required.push(...(body?.required ?? []));

  for (const name of required) {
    if (request.params[name] === undefined) return `${where}: required parameter ${name} is missing`;
  }
  for (const [name, value] of Object.entries(request.params)) {
    const schema = declared.get(name);
    if (schema === undefined) {
      const known = [...declared.keys()].sort().join(', ');
      return `${where}: parameter ${name} is not declared (declared: ${known === '' ? 'none' : known})`;
    }
    const problem = checkValue(value, schema, route.schemas);
    if (problem !== undefined) return `${where}: parameter ${name} ${problem}`;
  }
  return undefined;
}

function resolve(schema: Schema, schemas: Record<string, Schema>): Schema {
  let current = schema;
  for (let depth = 0; current.$ref !== undefined && depth < 10; depth += 1) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(current.$ref)?.[1];
    const target = name === undefined ? undefined : schemas[name];
    if (target === undefined) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/**
 * One value as it travels in a form body or query string (always text) against its schema.
 * An array parameter is sent as repeated names; the stand-in keeps the last, which is checked as an item.
 */
function checkValue(value: string, raw: Schema, schemas: Record<string, Schema>): string | undefined {
  const schema = resolve(raw, schemas);
  if (schema.type === 'array') return schema.items === undefined ? undefined : checkValue(value, schema.items, schemas);
  const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (schema.enum !== undefined && !schema.enum.map(String).includes(value)) {
    return `must be one of ${schema.enum.map(String).join(', ')} (got ${shown})`;
  }
  switch (schema.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(value)) return `must be an integer (got ${shown})`;
      return range(Number(value), schema, shown);
    }
    case 'number': {
      if (value.trim() === '' || !Number.isFinite(Number(value))) return `must be a number (got ${shown})`;
      return range(Number(value), schema, shown);
    }
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : `must be true or false (got ${shown})`;
    case 'string':
      return checkString(value, schema, shown);
    case undefined:
      // Sync's Data is typeless in the description, which says "A JSON string": Twilio refuses anything else.
      if (schema.description !== undefined && /\bJSON string\b/.test(schema.description)) {
        try {
          JSON.parse(value);
        } catch {
          return `must be a JSON string (got ${shown})`;
        }
      }
      return undefined;
    default:
      return undefined;
  }
}

function range(n: number, schema: Schema, shown: string): string | undefined {
  if (schema.minimum !== undefined && n < schema.minimum) return `must be at least ${schema.minimum} (got ${shown})`;
  if (schema.maximum !== undefined && n > schema.maximum) return `must be at most ${schema.maximum} (got ${shown})`;
  return undefined;
}

function checkString(value: string, schema: Schema, shown: string): string | undefined {
  if (schema.minLength !== undefined && value.length < schema.minLength) return `must be at least ${schema.minLength} characters (got ${shown})`;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return `must be at most ${schema.maxLength} characters (got ${shown})`;
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) return `must match ${schema.pattern} (got ${shown})`;
  if (schema['x-twilio']?.ignoreFormat === true) return undefined;
  switch (schema.format) {
    case 'uri':
      return isAbsoluteUrl(value) ? undefined : `must be an absolute http(s) URL (got ${shown})`;
    case 'phone-number':
      // E.164, a channel address (whatsapp:+1…), or for a sender an alphanumeric ID.
      return /^\+[1-9]\d{1,14}$/.test(value) || /^[a-z][a-z0-9-]*:\S+$/i.test(value) || /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(value)
        ? undefined
        : `must be a phone number in E.164 form (got ${shown})`;
    case 'date-time':
      return /^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(Date.parse(value)) ? undefined : `must be an ISO 8601 date-time (got ${shown})`;
    case 'iso-country-code':
      return /^[A-Z]{2}$/.test(value) ? undefined : `must be a two-letter country code (got ${shown})`;
    case undefined:
    default:
      return undefined;
  }
}

function isAbsoluteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}
