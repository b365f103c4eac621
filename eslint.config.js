// ESLint for the JavaScript the package serves: the web app's ES modules and
// the standalone drawing viewer. Run by scripts/check-js.sh (make lint).
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    files: ["src/stageline/server/static/**/*.js", "src/stageline/render/assets/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
  },
  {
    // The viewer is inlined into a standalone HTML page as a classic script.
    files: ["src/stageline/render/assets/*.js"],
    languageOptions: { sourceType: "script" },
  },
];
