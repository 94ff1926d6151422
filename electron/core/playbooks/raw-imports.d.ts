/** Vite's `?raw` suffix: the file's text as a string, inlined at build time (also under Vitest). */
declare module '*.yaml?raw' {
  const text: string;
  export default text;
}
