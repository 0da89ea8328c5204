import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import purgeCSSPlugin from "@fullhuman/postcss-purgecss";

// The window loads the bundle from disk (tauri://): no dev server, no remote origin.
// Everything, Bootstrap Italia's fonts included, is bundled so the app works offline.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  base: "./",
  css: {
    postcss: {
      // Bootstrap Italia's stylesheet is 575 KB, nearly all of it for components these
      // screens never show, and WebKit keeps every parsed rule. Only the rules whose
      // classes and elements the sources name are kept: 94 KB, 5 MB less in the web
      // process on the 100k tour (the whole sheet costs it 12 MB).
      // Classes built at run time (`btn-${color}`, `bg-${status colour}`) are listed.
      plugins: [
        purgeCSSPlugin({
          content: ["./index.html", "./src/**/*.{ts,tsx}"],
          safelist: {
            standard: [/^btn-/, /^bg-/, /^text-/, /^alert-/, /^is-/, /^was-/, /^show$/, /^active$/, /^disabled$/],
          },
        }),
      ],
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    // Source maps would ship inside the binary: the shell embeds dist/.
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
  },
});
