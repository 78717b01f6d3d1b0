import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildOpenApi } from './openapi.ts';

/** Swagger UI's files the reference page loads (functions/docs/serve-docs.ts), from the pinned npm package. */
export const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png'] as const;

/**
 * What the docs function reads beside it: the OpenAPI document generated from the catalog and
 * Swagger UI's files. The stack's bundling writes them into the function's package
 * (`bin/docs-files.ts`); the local runtime into its state folder.
 */
export const writeDocsFiles = (dir: string): void => {
  mkdirSync(dir, { recursive: true });
  // Each file whole or not at all: local runtimes started side by side (the tests) write the same folder.
  const temporary = (file: string) => join(dir, `.${file}.${process.pid}.${Date.now()}`);
  const openApi = temporary('openapi.json');
  writeFileSync(openApi, JSON.stringify(buildOpenApi()));
  renameSync(openApi, join(dir, 'openapi.json'));
  const swaggerUi = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  for (const file of SWAGGER_UI_FILES) {
    const copy = temporary(file);
    copyFileSync(join(swaggerUi, file), copy);
    renameSync(copy, join(dir, file));
  }
};
