/**
 * A request body that is already JSON text, as bytes. File uploads carry the file in base64
 * inside the JSON; building that text once, straight into one buffer, keeps a 100 MB upload
 * from being copied again as a JavaScript object, a JSON string and then bytes.
 */
export class SerializedJsonBody {
	constructor(readonly bytes: Buffer) {}
}
