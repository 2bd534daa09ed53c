/**
 * Link-preview robots and crawlers open links they see to build a preview; an approval link must
 * not count such a visit as a click. Recognised by the user agent, as n8n's own send-and-wait
 * nodes do: robots name themselves (bot, crawler, preview…) or are plain HTTP libraries, while a
 * person's browser always sends a browser user agent. A request without one is a robot too.
 */
const ROBOT_USER_AGENT =
	/bot\b|bot\/|robot|crawl|spider|slurp|preview|facebookexternalhit|embedly|vkshare|w3c_validator|whatsapp|telegram|skypeuripreview|slack|discord|curl\/|wget|python-|python\/|go-http-client|java\/|okhttp|axios|node-fetch|undici|libwww|httpclient|headless|phantomjs|lighthouse|scanner|validator/i;

export function isLinkPreviewRobot(userAgent: string | string[] | undefined): boolean {
	const agent = Array.isArray(userAgent) ? userAgent.join(' ') : (userAgent ?? '');
	if (agent.trim() === '') return true;
	return ROBOT_USER_AGENT.test(agent);
}
