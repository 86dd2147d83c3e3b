'use client';
/**
 * The mic next to the chat input. With the browser's speech recognition (Chrome, Edge, Safari) it
 * shows the words as they are heard (onInterim) and hands over the sentence when the person stops
 * speaking (onFinal). Without it, when the server has a transcription model (GET /api/config), it
 * records with MediaRecorder until a pause and posts the audio to /api/transcribe. Otherwise the button
 * stays visible but explains why voice input is unavailable.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { z } from 'zod';
import { type MessageKey, useT } from '../_lib/i18n.ts';
import { useSettings } from '../_lib/settings.tsx';
import { stopSpeaking } from '../_lib/speech.ts';

export interface MicButtonProps {
  /** The words heard so far (empty when cancelled): show them in the input. */
  onInterim(text: string): void;
  /** The whole utterance once speech ends: send it. */
  onFinal(text: string): void;
  disabled?: boolean;
}

// The Web Speech API's recognizer is not in TypeScript's DOM library (Chrome names it webkit…).
interface Recognizer extends EventTarget {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  maxAlternatives: number;
  onresult: ((event: SpeechRecognitionEvent) => void) | null;
  onerror: ((event: SpeechRecognitionErrorEvent) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
}
type RecognizerConstructor = new () => Recognizer;

type Mode =
  | { kind: 'checking' }
  | { kind: 'recognition'; Recognizer: RecognizerConstructor }
  | { kind: 'recording' }
  | { kind: 'unavailable'; reason: MessageKey };

type Phase = 'idle' | 'listening' | 'transcribing';

/** A pause this long after speech ends a recording, as recognition does on its own. */
const SILENCE_AFTER_SPEECH_MS = 1_500;
/** A recording where nobody speaks for this long stops without uploading. */
const NO_SPEECH_TIMEOUT_MS = 8_000;
/** The longest recording; /api/transcribe takes up to 4 MB (Opus: minutes). */
const MAX_RECORDING_MS = 60_000;
/** Root-mean-square level of the signal above which someone is speaking. */
const SPEECH_LEVEL = 0.02;
/** How long an error or explanation stays under the mic. */
const PROBLEM_SHOWN_MS = 12_000;
const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm'];

const ConfigSchema = z.object({ transcription: z.boolean() }).loose();
const TranscriptSchema = z.object({ text: z.string() });
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const RECOGNITION_ERRORS: Partial<Record<string, MessageKey>> = {
  'not-allowed': 'voice.error.notAllowed',
  'service-not-allowed': 'voice.error.notAllowed',
  'no-speech': 'voice.error.noSpeech',
  network: 'voice.error.network',
  'audio-capture': 'voice.error.audioCapture',
  'language-not-supported': 'voice.error.language',
};

function recognizerConstructor(): RecognizerConstructor | undefined {
  const scope = window as unknown as {
    SpeechRecognition?: RecognizerConstructor;
    webkitSpeechRecognition?: RecognizerConstructor;
  };
  return scope.SpeechRecognition ?? scope.webkitSpeechRecognition;
}

async function detectMode(signal: AbortSignal): Promise<Mode> {
  if (!window.isSecureContext) return { kind: 'unavailable', reason: 'voice.insecure' };
  const Recognizer = recognizerConstructor();
  if (Recognizer) return { kind: 'recognition', Recognizer };
  const canRecord = typeof MediaRecorder !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);
  if (!canRecord) return { kind: 'unavailable', reason: 'voice.noMicrophone' };
  try {
    const response = await fetch('/api/config', { signal });
    const config = ConfigSchema.safeParse(await response.json());
    if (config.success && config.data.transcription) return { kind: 'recording' };
  } catch {
    // the server did not say: treat as no transcription
  }
  return { kind: 'unavailable', reason: 'voice.unavailable' };
}

/** An error shown under the button: a dictionary key with its values. */
interface Problem {
  key: MessageKey;
  values?: Record<string, string>;
}

export function MicButton({ onInterim, onFinal, disabled = false }: MicButtonProps) {
  const t = useT();
  const { voiceLanguage } = useSettings();
  const statusId = useId();
  const [mode, setMode] = useState<Mode>({ kind: 'checking' });
  const [phase, setPhase] = useState<Phase>('idle');
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  // The parent passes new callbacks on every render; the recognizer's handlers read the latest ones.
  const callbacks = useRef({ onInterim, onFinal });
  callbacks.current = { onInterim, onFinal };
  /** Ends the current session: `send` false discards what was heard. */
  const finish = useRef<((send: boolean) => void) | undefined>(undefined);

  useEffect(() => {
    const abort = new AbortController();
    detectMode(abort.signal).then((detected) => {
      if (!abort.signal.aborted) setMode(detected);
    });
    return () => {
      abort.abort();
      finish.current?.(false);
    };
  }, []);

  // An explanation stays long enough to read, then gets out of the way of the conversation.
  useEffect(() => {
    if (!problem) return;
    const timer = setTimeout(() => setProblem(undefined), PROBLEM_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [problem]);

  const startRecognition = useCallback(
    (Recognizer: RecognizerConstructor) => {
      const recognizer = new Recognizer();
      recognizer.lang = voiceLanguage;
      recognizer.interimResults = true;
      // One utterance: the recognizer ends by itself when the person stops speaking.
      recognizer.continuous = false;
      recognizer.maxAlternatives = 1;
      let heard = '';
      let send = true;
      recognizer.onresult = (event) => {
        heard = Array.from(event.results, (result) => result[0]?.transcript ?? '')
          .join('')
          .trim();
        callbacks.current.onInterim(heard);
      };
      recognizer.onerror = (event) => {
        // "aborted" is our own cancel; the rest are the person's to fix.
        if (event.error === 'aborted') return;
        send = false;
        const key = RECOGNITION_ERRORS[event.error] ?? 'voice.error.other';
        setProblem({ key, values: { code: event.error, language: voiceLanguage } });
      };
      recognizer.onend = () => {
        finish.current = undefined;
        setPhase('idle');
        if (send && heard) callbacks.current.onFinal(heard);
        // Words heard before an error are not a request: they leave the input.
        else if (heard) callbacks.current.onInterim('');
      };
      finish.current = (sendHeard) => {
        send = sendHeard;
        if (sendHeard) recognizer.stop();
        else {
          recognizer.abort();
          callbacks.current.onInterim('');
        }
      };
      try {
        recognizer.start();
        setPhase('listening');
      } catch (error) {
        finish.current = undefined;
        setProblem({ key: 'voice.error.other', values: { code: (error as Error).name } });
      }
    },
    [voiceLanguage],
  );

  const upload = useCallback(
    async (audio: Blob) => {
      setPhase('transcribing');
      try {
        const response = await fetch(`/api/transcribe?language=${encodeURIComponent(voiceLanguage)}`, {
          method: 'POST',
          headers: { 'Content-Type': audio.type || 'audio/webm' },
          body: audio,
        });
        const body: unknown = await response.json().catch(() => undefined);
        const transcript = TranscriptSchema.safeParse(body);
        if (response.ok && transcript.success && transcript.data.text) {
          callbacks.current.onFinal(transcript.data.text);
          return;
        }
        const failure = ErrorSchema.safeParse(body);
        if (response.ok || failure.data?.error.code === 'NO_SPEECH')
          setProblem({ key: 'voice.error.noSpeech' });
        else {
          const message = failure.success ? failure.data.error.message : `HTTP ${response.status}`;
          setProblem({ key: 'voice.error.transcribe', values: { message } });
        }
      } catch (error) {
        setProblem({ key: 'voice.error.transcribe', values: { message: (error as Error).message } });
      } finally {
        setPhase('idle');
      }
    },
    [voiceLanguage],
  );

  const startRecording = useCallback(async () => {
    setPhase('listening');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true },
      });
    } catch (error) {
      const name = (error as Error).name;
      setPhase('idle');
      setProblem(
        name === 'NotAllowedError' || name === 'SecurityError'
          ? { key: 'voice.error.notAllowed' }
          : name === 'NotFoundError' || name === 'NotReadableError'
            ? { key: 'voice.error.audioCapture' }
            : { key: 'voice.error.other', values: { code: name } },
      );
      return;
    }
    const mimeType = RECORDING_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const chunks: Blob[] = [];
    let send = true;
    let heardSpeech = false;
    const startedAt = Date.now();
    let lastSoundAt = startedAt;

    // A pause after speech ends the recording, as with recognition; no audio analysis, no auto-stop.
    let audioContext: AudioContext | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    try {
      audioContext = new AudioContext();
      const analyser = audioContext.createAnalyser();
      analyser.fftSize = 2048;
      audioContext.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      timer = setInterval(() => {
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += sample * sample;
        const now = Date.now();
        if (Math.sqrt(sum / samples.length) > SPEECH_LEVEL) {
          heardSpeech = true;
          lastSoundAt = now;
        }
        if (heardSpeech && now - lastSoundAt > SILENCE_AFTER_SPEECH_MS) finish.current?.(true);
        else if (!heardSpeech && now - startedAt > NO_SPEECH_TIMEOUT_MS) {
          finish.current?.(false);
          setProblem({ key: 'voice.error.noSpeech' });
        }
      }, 100);
    } catch {
      audioContext = undefined;
    }
    const maxTimer = setTimeout(() => finish.current?.(true), MAX_RECORDING_MS);

    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    recorder.onstop = () => {
      clearInterval(timer);
      clearTimeout(maxTimer);
      for (const track of stream.getTracks()) track.stop();
      void audioContext?.close();
      finish.current = undefined;
      if (!send || chunks.length === 0) {
        setPhase('idle');
        return;
      }
      void upload(new Blob(chunks, { type: recorder.mimeType || mimeType || 'audio/webm' }));
    };
    finish.current = (sendRecording) => {
      send = sendRecording;
      if (recorder.state !== 'inactive') recorder.stop();
    };
    recorder.start();
  }, [upload]);

  const active = phase === 'listening';
  const toggle = () => {
    if (active) {
      finish.current?.(true);
      return;
    }
    if (mode.kind === 'unavailable' || mode.kind === 'checking') {
      // The button is focusable on purpose: pressing it says why voice is unavailable.
      if (mode.kind === 'unavailable') setProblem({ key: mode.reason });
      return;
    }
    setProblem(undefined);
    // The mic would hear the spoken reply.
    stopSpeaking();
    if (mode.kind === 'recognition') startRecognition(mode.Recognizer);
    else void startRecording();
  };

  const unavailable = mode.kind === 'unavailable' || mode.kind === 'checking';
  const languageName = voiceLanguage === 'ko-KR' ? '한국어' : 'English';
  const status =
    phase === 'listening'
      ? `${t(mode.kind === 'recording' ? 'voice.recording' : 'voice.listening', { language: languageName })} ${t('voice.cancelHint')}`
      : phase === 'transcribing'
        ? t('voice.transcribing')
        : problem
          ? t(problem.key, { language: languageName, ...problem.values })
          : '';
  const label = active
    ? t('voice.stop')
    : mode.kind === 'unavailable'
      ? t(mode.reason)
      : mode.kind === 'checking'
        ? t('voice.checking')
        : t('voice.start');

  return (
    <span className="mic" data-mode={mode.kind} data-phase={phase}>
      <style href="s2a-mic-button" precedence="medium">
        {MIC_STYLES}
      </style>
      <button
        type="button"
        className={`mic-button${active ? ' listening' : ''}`}
        data-testid="mic-button"
        aria-pressed={active}
        aria-label={label}
        aria-disabled={unavailable || undefined}
        aria-describedby={status ? statusId : undefined}
        title={label}
        disabled={(disabled && !active) || phase === 'transcribing'}
        onClick={toggle}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && active) {
            event.preventDefault();
            finish.current?.(false);
          }
        }}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 14a3 3 0 0 0 3-3V5a3 3 0 1 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2Z"
          />
          {unavailable ? <path stroke="currentColor" strokeWidth="2" d="M4 4l16 16" /> : null}
        </svg>
      </button>
      <span id={statusId} role="status" aria-live="polite" className="mic-status" data-testid="mic-status">
        {status}
      </span>
    </span>
  );
}

// Kept with the component (React hoists it into <head> once): the chat page's stylesheet stays its own.
const MIC_STYLES = `
.mic { position: relative; display: inline-flex; align-items: center; }
.mic-button { display: inline-flex; align-items: center; justify-content: center; min-width: 2.5rem; min-height: 2.5rem; padding: 0.4rem; border-radius: 999px; background: var(--surface); color: var(--text); border-color: var(--border); }
.mic-button[aria-disabled="true"] { opacity: 0.55; cursor: help; }
.mic-button.listening { background: var(--bad); border-color: var(--bad); color: #fff; animation: mic-pulse 1.2s ease-in-out infinite; }
@keyframes mic-pulse { 0%, 100% { box-shadow: 0 0 0 0 color-mix(in srgb, var(--bad) 45%, transparent); } 50% { box-shadow: 0 0 0 0.45rem color-mix(in srgb, var(--bad) 0%, transparent); } }
@media (prefers-reduced-motion: reduce) { .mic-button.listening { animation: none; outline: 3px solid var(--bad); outline-offset: 2px; } }
.mic-status { position: absolute; bottom: calc(100% + 0.4rem); right: 0; z-index: 4; width: max-content; max-width: min(320px, 80vw); padding: 0.35rem 0.6rem; border-radius: 8px; background: var(--surface); border: 1px solid var(--border); box-shadow: var(--shadow); font-size: 0.85rem; color: var(--text); }
.mic-status:empty { display: none; }
`;
