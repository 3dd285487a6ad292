// Jest transformer: TypeScript to CommonJS with esbuild, so tests run the same compiler output as the build.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline', sourcefile: filename });
    return { code, map };
  },
};
