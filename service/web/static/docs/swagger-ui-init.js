// Starts Swagger UI on /docs. A file rather than an inline script, so that a Content-Security-Policy
// without 'unsafe-inline' allows it; the page gives the OpenAPI document's address as a data attribute.
// The options are FastAPI's defaults (fastapi.openapi.docs.swagger_ui_default_parameters); its second
// preset, SwaggerUIStandalonePreset, is not in swagger-ui-bundle.js and the base layout does not use it.
"use strict";
const container = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: container.dataset.openapiUrl,
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis],
});
