// Starts GOV.UK Frontend's components. Loaded as a module, so browsers too old
// for it get the plain pages, which work without JavaScript.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
