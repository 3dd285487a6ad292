// Type check and lint on one TypeScript program: what `tsc --noEmit` and `eslint .` check, in about two thirds
// of their CPU time together. Both build a program of the whole project (twilio's types alone are ~1,350
// declaration files); run separately they build it twice, and eslint's project service rebuilds it as files
// are opened. Here tsc's program is built once, checked, and handed to typescript-eslint (`parserOptions.programs`).
// The rules are eslint.config.mjs's, unchanged: `npm run typecheck` and `npm run lint` still run each on its own.
// Prints one line when all is well; the diagnostics, as tsc and eslint print them, when not. Exit 1 on any error.
import { ESLint } from 'eslint';
import ts from 'typescript';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } };
const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, host);
if (config === undefined) throw new Error('tsconfig.json could not be read');
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
const typeErrors = [...config.errors, ...ts.getPreEmitDiagnostics(program)];

// The project's own flat config, with the program given in place of the project service for typed files.
const { default: flat } = await import(join(root, 'eslint.config.mjs'));
const withProgram = flat.map((block) => {
  const parserOptions = block.languageOptions?.parserOptions;
  if (parserOptions === undefined) return block;
  const { projectService, project } = parserOptions;
  const typed = (projectService !== undefined && projectService !== false) || (project !== undefined && project !== false);
  if (!typed) return block;
  const rest = Object.fromEntries(Object.entries(parserOptions).filter(([key]) => !['projectService', 'project', 'tsconfigRootDir'].includes(key)));
  return { ...block, languageOptions: { ...block.languageOptions, parserOptions: { ...rest, programs: [program] } } };
});
// Plain-JS files (configs, scripts, preloads) are not in tsconfig's program and are linted without type information.
withProgram.push({ files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { parserOptions: { programs: null, project: false, projectService: false } } });
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, baseConfig: withProgram });
const results = await eslint.lintFiles(['.']);
const lintErrors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
const lintWarnings = results.reduce((n, r) => n + r.warningCount, 0);

const out = [];
if (typeErrors.length > 0) {
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  out.push(process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext(typeErrors, formatHost) : ts.formatDiagnostics(typeErrors, formatHost));
}
if (lintErrors + lintWarnings > 0) out.push(await (await eslint.loadFormatter('stylish')).format(results));
const files = program.getRootFileNames().length;
out.push(`types and lint (${files} files, one program): ${typeErrors.length} type errors, ${lintErrors} lint errors, ${lintWarnings} warnings, ${seconds()} s`);
process.stdout.write(`${out.join('\n')}\n`);
process.exitCode = typeErrors.length > 0 || lintErrors > 0 ? 1 : 0;
