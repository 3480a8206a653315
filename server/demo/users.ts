import type { Role } from '../../schema/common.ts';

/** Shared by every demo account. Demo databases only: bootstrap never seeds a database that has users. */
export const DEMO_PASSWORD = 'culture-demo';

export interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  languages: string[];
}

export const demoUsers: DemoUser[] = [
  { username: 'admin', displayName: 'Demo maintainer', role: 'maintainer', languages: [] },
  { username: 'reviewer', displayName: 'Demo reviewer', role: 'reviewer', languages: ['ko', 'ar', 'th'] },
  { username: 'minji', displayName: '김민지', role: 'annotator', languages: ['ko'] },
  { username: 'layla', displayName: 'ليلى حداد', role: 'annotator', languages: ['ar'] },
  { username: 'jisoo', displayName: '박지수', role: 'annotator', languages: ['ko'] },
  { username: 'omar', displayName: 'عمر الخطيب', role: 'annotator', languages: ['ar'] },
  // Second validators of the items in review: the reviewer may not decide an item they validated.
  { username: 'dahye', displayName: '정다혜', role: 'annotator', languages: ['ko'] },
  { username: 'karim', displayName: 'كريم منصور', role: 'annotator', languages: ['ar'] },
  { username: 'somchai', displayName: 'สมชาย ใจดี', role: 'annotator', languages: ['th'] },
  { username: 'priya', displayName: 'प्रिया शर्मा', role: 'annotator', languages: ['hi'] },
  { username: 'amani', displayName: 'Amani Wanjiru', role: 'annotator', languages: ['sw'] },
  { username: 'tunde', displayName: 'Túndé Adéyẹmí', role: 'annotator', languages: ['yo'] },
];
