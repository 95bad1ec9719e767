import type { INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { Request, Response } from 'express';
import { z, type ZodType } from 'zod';
import { PUBLIC_KEY } from '../auth/auth.guard';
import { ZodPipe } from '../http/errors';
import type { ServiceDefinition } from '../service/service-definition';

/**
 * OpenAPI documents generated from what the services already have: Nest's routes (via
 * @nestjs/swagger) and the zod schemas that validate requests (via zod's own `z.toJSONSchema`), so
 * no DTO class repeats a schema. Bodies and queries validated with `new ZodPipe(schema)` are found
 * by themselves; a handler that parses inside (`Schema.parse(body)`) names its schema with
 * `@ApiZodBody(Schema)` / `@ApiZodQuery(Schema)`. @nestjs/swagger is loaded on the first request
 * for the document, so it costs nothing at start-up.
 */

const BODY_KEY = 'techan:openapi:body';
const QUERY_KEY = 'techan:openapi:query';

type JsonSchema = Record<string, unknown>;

/** A zod schema as an OpenAPI 3.0 schema object, describing what a client sends (the input side of transforms). */
export function zodToOpenApi(schema: ZodType): JsonSchema {
  try {
    const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as JsonSchema;
    delete json['$schema'];
    return json;
  } catch {
    // e.g. a refinement zod cannot express: say so rather than fail the whole document.
    return { description: '（该结构无法以 JSON Schema 表示，以服务端校验为准）' };
  }
}

/** The handler parses its body itself with this schema: describe the body with it. */
export function ApiZodBody(schema: ZodType): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(BODY_KEY, schema, descriptor.value as object);
  };
}

/** The handler parses its query itself with this schema: describe the query parameters with it. */
export function ApiZodQuery(schema: ZodType): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(QUERY_KEY, schema, descriptor.value as object);
  };
}

interface RouteArgument {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

/** The zod schemas of one handler's body and query: from ZodPipes on @Body()/@Query(), or from @ApiZodBody/@ApiZodQuery. */
export function zodSchemasOf(controller: { prototype: object }, method: string): { body?: ZodType; query?: ZodType } {
  const handler = (controller.prototype as Record<string, object>)[method];
  const found: { body?: ZodType; query?: ZodType } = {
    body: Reflect.getMetadata(BODY_KEY, handler) as ZodType | undefined,
    query: Reflect.getMetadata(QUERY_KEY, handler) as ZodType | undefined,
  };
  // Nest keeps parameter decorators on the controller class, per method.
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, RouteArgument>;
  for (const [key, argument] of Object.entries(args)) {
    const type = Number(key.split(':')[0]);
    // @Body('field') / @Query('name') describe one field; only whole bodies and queries are documented here.
    if (argument.data !== undefined) continue;
    const pipe = argument.pipes?.find((p): p is ZodPipe<unknown> => p instanceof ZodPipe);
    if (!pipe) continue;
    if (type === RouteParamtypes.BODY) found.body ??= pipe.schema;
    if (type === RouteParamtypes.QUERY) found.query ??= pipe.schema;
  }
  return found;
}

/** Query parameters from an object schema, one per property (a non-object schema becomes one exploded object). */
export function queryParameters(schema: ZodType): { name: string; required: boolean; schema: JsonSchema; style?: 'form'; explode?: boolean }[] {
  const json = zodToOpenApi(schema);
  const properties = json['properties'] as Record<string, JsonSchema> | undefined;
  if (json['type'] !== 'object' || !properties) return [{ name: 'query', required: false, schema: json, style: 'form', explode: true }];
  const required = new Set((json['required'] as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({ name, required: required.has(name), schema: property }));
}

const described = new WeakSet<object>();

/** Attach the zod-derived body and query descriptions, and the bearer requirement of non-@Public() routes, to every route handler (once each). */
async function describeZodRoutes(app: INestApplication): Promise<void> {
  const { ApiBearerAuth, ApiBody, ApiQuery } = await import('@nestjs/swagger');
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as unknown as { prototype: Record<string, unknown> } | null;
      if (!controller?.prototype) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        if (method === 'constructor') continue;
        const descriptor = Object.getOwnPropertyDescriptor(controller.prototype, method);
        if (typeof descriptor?.value !== 'function' || described.has(descriptor.value)) continue;
        described.add(descriptor.value);
        const { body, query } = zodSchemasOf(controller, method);
        if (body) ApiBody({ schema: zodToOpenApi(body) as never })(controller.prototype, method, descriptor);
        if (query) for (const parameter of queryParameters(query)) ApiQuery(parameter as never)(controller.prototype, method, descriptor);
        const isPublic = Reflect.getMetadata(PUBLIC_KEY, descriptor.value) ?? Reflect.getMetadata(PUBLIC_KEY, controller);
        if (!isPublic) ApiBearerAuth()(controller.prototype, method, descriptor);
      }
    }
  }
}

/** Where the service's API is reached through the edge (`/api/<service>/…`, see the gateway's api-routes). */
function edgeServer(definition: ServiceDefinition): string {
  return definition.apiPrefix === `/${definition.name}` ? '/api' : `/api/${definition.name}`;
}

/** The service's OpenAPI 3 document, built from its routes and zod schemas. */
export async function buildOpenApiDocument(app: INestApplication, definition: ServiceDefinition): Promise<Record<string, unknown>> {
  await describeZodRoutes(app);
  const { DocumentBuilder, SwaggerModule } = await import('@nestjs/swagger');
  const config = new DocumentBuilder()
    .setTitle(`Techan ${definition.name}`)
    .setDescription(`特产平台 ${definition.name} 服务的 HTTP API。除公开接口外须携带 JWT（Authorization: Bearer）；经网关访问时由登录会话代为签发。`)
    .setVersion('1.0')
    .addServer(edgeServer(definition), '经统一入口（网关）')
    .addServer('/', '直接访问服务')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` }) as unknown as Record<string, unknown>;
}

/** `GET /openapi.json` (and under the service's API prefix, so the edge reaches it): built on first request, then cached. */
export function serveOpenApi(app: INestApplication, definition: ServiceDefinition): void {
  let document: Promise<Record<string, unknown>> | undefined;
  const send = (_req: Request, res: Response) => {
    document ??= buildOpenApiDocument(app, definition);
    document.then(
      (doc) => res.json(doc),
      (error: unknown) => {
        document = undefined;
        res.status(500).json({ statusCode: 500, message: 'OpenAPI 文档生成失败', reason: error instanceof Error ? error.message : String(error) });
      },
    );
  };
  const http = app.getHttpAdapter();
  http.get('/openapi.json', send);
  if (definition.apiPrefix) http.get(`${definition.apiPrefix}/openapi.json`, send);
}
