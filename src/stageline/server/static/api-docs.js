// @ts-check
// Starts Swagger UI on /api/docs from a file of our own, since the page's policy
// allows no inline script (script-src 'self').

const SwaggerUIBundle = /** @type {any} */ (window).SwaggerUIBundle;
SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis],
});

export {};
