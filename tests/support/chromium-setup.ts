// Before browser and end-to-end tests: Chromium must exist; otherwise say how to install it, instead of hanging.
import { assertChromium } from './chromium';

export default function setup() {
  assertChromium();
}
