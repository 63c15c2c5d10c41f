/** `npm run keys:new`: a new API key and the sha256 to add to MAAS_API_KEY_HASHES (the ApiKeyHashes secret). */
import { generateApiKey, hashApiKey } from "@marquee/core";

const key = generateApiKey();
console.log(`API key (give to the client, shown once): ${key}`);
console.log(`sha256 (store this):                      ${hashApiKey(key)}`);
console.log('Deploy with: npx sst secret set ApiKeyHashes "<hash>[,<other hashes>]" --stage <stage>');
