/**
 * The portal's seeded people and chats: users 1..50, group chats chat1..chat500, workgroup
 * chats sg1..sg20, and 120 recent-list entries with distinct titles (some non-ASCII, some with
 * characters that need HTML escaping).
 */

export const USER_COUNT = 50;
export const CHAT_COUNT = 500;
export const WORKGROUP_COUNT = 20;

const FIRST_NAMES = ['Иван', 'Anna', 'Пётр', 'John', 'Мария', 'Olga', 'Сергей', 'Kate', 'Алексей', 'Tom'];
const LAST_NAMES = ['Петров', 'Smith', 'Иванова', 'Brown', 'Сидоров'];

const CHAT_TITLES = [
	'Отдел продаж',
	'Marketing',
	'Поддержка клиентов',
	'Dev team',
	'Бухгалтерия',
	'HR',
	'Проект «Альфа»',
	'Logistics',
	'Склад №1',
	'Design & UX',
	'Совет директоров',
	'QA <tests>',
	'Общий чат',
	'Partners',
	'Юридический отдел',
	'Release "night"',
	'Закупки',
	'Ops on-call',
	'Офис Москва',
	'Office Berlin',
];

export interface FakeUser {
	id: number;
	name: string;
	lastName: string;
}

export function userById(id: number): FakeUser | undefined {
	if (!Number.isInteger(id) || id < 1 || id > USER_COUNT) return undefined;
	return {
		id,
		name: FIRST_NAMES[(id - 1) % FIRST_NAMES.length],
		lastName: LAST_NAMES[Math.floor((id - 1) / FIRST_NAMES.length) % LAST_NAMES.length] + (id > 10 ? ` ${id}` : ''),
	};
}

export function allUsers(): FakeUser[] {
	return Array.from({ length: USER_COUNT }, (_, index) => userById(index + 1) as FakeUser);
}

export function chatTitle(chatId: number): string {
	if (chatId <= CHAT_TITLES.length) return CHAT_TITLES[chatId - 1];
	if (chatId <= RECENT_CHATS) return `${CHAT_TITLES[(chatId - 1) % CHAT_TITLES.length]} ${chatId}`;
	return `Chat ${chatId}`;
}

/** What a DIALOG_ID resolves to, or the error Bitrix24 gives for it. */
export type DialogTarget =
	| { kind: 'user'; dialogId: string; userId: number }
	| { kind: 'chat'; dialogId: string; chatId: number }
	| { kind: 'workgroup'; dialogId: string; groupId: number };

export type DialogResolution =
	| { ok: true; target: DialogTarget }
	| { ok: false; code: 'USER_ID_EMPTY' | 'CHAT_ID_EMPTY' | 'USER_NOT_FOUND' | 'ACCESS_ERROR' };

/** Parses 'N', 'chatN', 'sgN' the way the im module does, then checks the dialog exists. */
export function resolveDialog(
	rawDialogId: string,
	isCreatedChat: (chatId: number) => boolean = () => false,
): DialogResolution {
	const dialogId = rawDialogId.trim();
	const prefixed = /^(chat|sg)(.*)$/.exec(dialogId);
	if (prefixed) {
		const numberText = prefixed[2];
		if (!/^\d+$/.test(numberText) || Number(numberText) <= 0) return { ok: false, code: 'CHAT_ID_EMPTY' };
		const id = Number(numberText);
		if (prefixed[1] === 'chat') {
			if (id > CHAT_COUNT && !isCreatedChat(id)) return { ok: false, code: 'ACCESS_ERROR' };
			return { ok: true, target: { kind: 'chat', dialogId: `chat${id}`, chatId: id } };
		}
		if (id > WORKGROUP_COUNT) return { ok: false, code: 'ACCESS_ERROR' };
		return { ok: true, target: { kind: 'workgroup', dialogId: `sg${id}`, groupId: id } };
	}
	if (!/^\d+$/.test(dialogId) || Number(dialogId) <= 0) return { ok: false, code: 'USER_ID_EMPTY' };
	const userId = Number(dialogId);
	if (!userById(userId)) return { ok: false, code: 'USER_NOT_FOUND' };
	return { ok: true, target: { kind: 'user', dialogId: String(userId), userId } };
}

/** Recent list: users 2..41 and chats 1..80 interleaved, newest first. */
const RECENT_USERS = 40;
const RECENT_CHATS = 80;

export interface RecentItem {
	id: string | number;
	chat_id: number;
	type: 'user' | 'chat';
	title: string;
	avatar: { url: string; color: string };
	message: {
		id: number;
		text: string;
		file: boolean;
		attach: boolean;
		author_id: number;
		date: string;
	};
	counter: number;
	pinned: boolean;
	unread: boolean;
	date_update: string;
	chat: Record<string, unknown>;
	user: Record<string, unknown>;
}

function buildRecentItems(): RecentItem[] {
	const items: RecentItem[] = [];
	const newest = Date.UTC(2026, 0, 15, 12, 0, 0);
	let userIndex = 0;
	let chatIndex = 0;
	for (let position = 0; position < RECENT_USERS + RECENT_CHATS; position++) {
		const date = new Date(newest - position * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
		// Every third entry is a private dialog, the rest are group chats.
		const isUser = position % 3 === 0 && userIndex < RECENT_USERS;
		if (isUser || chatIndex >= RECENT_CHATS) {
			const user = userById(2 + userIndex++) as FakeUser;
			const title = `${user.name} ${user.lastName}`;
			items.push({
				id: user.id,
				chat_id: 1000 + user.id,
				type: 'user',
				title,
				avatar: { url: '', color: '#df532d' },
				message: {
					id: position + 1,
					text: `Hello from ${title}`,
					file: false,
					attach: false,
					author_id: user.id,
					date,
				},
				counter: 0,
				pinned: false,
				unread: false,
				date_update: date,
				chat: {},
				user: {
					id: user.id,
					name: title,
					first_name: user.name,
					last_name: user.lastName,
					active: true,
					bot: false,
				},
			});
		} else {
			const chatId = 1 + chatIndex++;
			const title = chatTitle(chatId);
			items.push({
				id: `chat${chatId}`,
				chat_id: chatId,
				type: 'chat',
				title,
				avatar: { url: '', color: '#4ba984' },
				message: {
					id: position + 1,
					text: 'Last message',
					file: false,
					attach: false,
					author_id: 1,
					date,
				},
				counter: 0,
				pinned: false,
				unread: false,
				date_update: date,
				chat: {
					id: chatId,
					name: title,
					owner: 1,
					type: 'chat',
					entity_type: '',
					dialog_id: `chat${chatId}`,
				},
				user: { id: 0 },
			});
		}
	}
	return items;
}

export const RECENT_ITEMS: readonly RecentItem[] = buildRecentItems();
