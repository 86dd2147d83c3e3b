'use client';
// Spoken replies through the browser's speechSynthesis: plain sentences (no markdown), in a voice of the
// reply's language, the previous reply cut off when a new one starts.
import { useCallback, useEffect, useRef } from 'react';
import { useSettings, type VoiceLanguage } from './settings.tsx';

/** Chrome stops speaking one long utterance after ~15 s: longer replies go as several short ones. */
const MAX_UTTERANCE_CHARACTERS = 220;
/** The same text again within this window is a duplicate hand-over, not a new reply. */
const REPEAT_WINDOW_MS = 2_000;

/** Markdown as it would be read aloud: no code, no URLs, no markup characters. */
export function stripMarkdown(markdown: string): string {
  return (
    markdown
      .replace(/```[\s\S]*?```/g, ' ')
      .replace(/`([^`]*)`/g, '$1')
      .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/https?:\/\/\S+/g, ' ')
      .replace(/^\s{0,3}#{1,6}\s+/gm, '')
      .replace(/^\s{0,3}>\s?/gm, '')
      .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '')
      // Table rows: cells read as a list; separator rows vanish.
      .replace(/^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$/gm, '')
      .replace(/\s*\|\s*/g, ', ')
      // Emphasis only where markdown sees it: not inside snake_case words, not around spaced-out `2 * 3`.
      .replace(/(^|[^\w*~])(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\2(?![\w*~])/g, '$1$3')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\n{2,}/g, '. ')
      .replace(/\s+/g, ' ')
      .replace(/(?:,\s*){2,}/g, ', ')
      .replace(/^[\s,]+|[\s,]+$/g, '')
  );
}

/** Sentences grouped into pieces short enough for one utterance. */
export function utterancePieces(text: string): string[] {
  const sentences = text.match(/[^.!?。\n]+[.!?。]*\s*/g) ?? [text];
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current && current.length + sentence.length > MAX_UTTERANCE_CHARACTERS) {
      pieces.push(current.trim());
      current = '';
    }
    current += sentence;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

/** Korean when the text has more Hangul than Latin letters, otherwise English. */
export function languageOfText(text: string, fallback: VoiceLanguage): VoiceLanguage {
  const hangul = text.match(/[\uac00-\ud7a3]/g)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  if (hangul === 0 && latin === 0) return fallback;
  return hangul >= latin ? 'ko-KR' : 'en-US';
}

function synthesis(): SpeechSynthesis | undefined {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : undefined;
}

/** The best installed voice for `language`: exact locale and default first, then any of the language. */
function voiceFor(language: VoiceLanguage): SpeechSynthesisVoice | undefined {
  const voices = synthesis()?.getVoices() ?? [];
  const wanted = language.toLowerCase();
  const base = wanted.split('-')[0] ?? wanted;
  const normalised = (voice: SpeechSynthesisVoice) => voice.lang.toLowerCase().replace('_', '-');
  const exact = voices.filter((voice) => normalised(voice) === wanted);
  const sameLanguage = voices.filter((voice) => normalised(voice).split('-')[0] === base);
  return (
    exact.find((voice) => voice.default) ??
    exact.find((voice) => voice.localService) ??
    exact[0] ??
    sameLanguage.find((voice) => voice.localService) ??
    sameLanguage[0]
  );
}

/** Stops whatever is being spoken (a new reply, the mic starting, the setting turned off). */
export function stopSpeaking(): void {
  synthesis()?.cancel();
}

/**
 * Reads `text` aloud in `language`, cutting off the previous reply. Returns false when the browser
 * cannot speak or the text has nothing to say.
 */
export function speak(text: string, language: VoiceLanguage): boolean {
  const speech = synthesis();
  if (!speech || typeof SpeechSynthesisUtterance === 'undefined') return false;
  const plain = stripMarkdown(text);
  if (!plain) return false;
  speech.cancel();
  const voice = voiceFor(language);
  for (const piece of utterancePieces(plain)) {
    const utterance = new SpeechSynthesisUtterance(piece);
    // Without a matching voice the lang still asks the browser for one; it may use its default.
    utterance.lang = language;
    if (voice) utterance.voice = voice;
    speech.speak(utterance);
  }
  return true;
}

/**
 * Call the returned function with each finished assistant text: it is read aloud when the
 * "Read replies aloud" setting is on, in Korean or English by the text itself (the speech language
 * setting decides only when the text has neither). Turning the setting off stops the current reply.
 */
export function useSpokenReplies(): (text: string) => void {
  const { speakReplies, voiceLanguage } = useSettings();
  const settings = useRef({ speakReplies, voiceLanguage });
  settings.current = { speakReplies, voiceLanguage };
  // The same reply handed over twice at once (strict mode, a re-render) is read once.
  const lastSpoken = useRef<{ text: string; at: number } | undefined>(undefined);

  useEffect(() => {
    if (!speakReplies) stopSpeaking();
  }, [speakReplies]);

  useEffect(() => {
    // Voices load asynchronously in Chrome; asking once early makes the first reply find them.
    synthesis()?.getVoices();
    return () => stopSpeaking();
  }, []);

  return useCallback((text: string) => {
    if (!settings.current.speakReplies || !text.trim()) return;
    const now = Date.now();
    const last = lastSpoken.current;
    if (last && last.text === text && now - last.at < REPEAT_WINDOW_MS) return;
    lastSpoken.current = { text, at: now };
    speak(text, languageOfText(text, settings.current.voiceLanguage));
  }, []);
}
