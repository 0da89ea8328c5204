import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The window loads the bundle from disk (tauri://): no dev server, no remote origin.
// Everything, Bootstrap Italia's fonts included, is bundled so the app works offline.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  base: "./",
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
