// The mic button and spoken replies.
export const voice = {
  en: {
    'voice.start': 'Speak your request',
    'voice.stop': 'Stop listening and send',
    'voice.cancelHint': 'Esc cancels',
    'voice.listening': 'Listening ({language})…',
    'voice.recording': 'Recording ({language})… press again to send',
    'voice.transcribing': 'Transcribing…',
    'voice.checking': 'Checking voice input…',
    'voice.unavailable':
      'Voice input is unavailable: this browser has no speech recognition (try Chrome, Edge or Safari) and the server has no transcription model (S2A_TRANSCRIBE_MODEL).',
    'voice.noMicrophone':
      'Voice input is unavailable: this browser has no speech recognition and cannot record audio.',
    'voice.insecure': 'Voice input needs a secure page: open s2a at http://127.0.0.1 or over https.',
    'voice.error.notAllowed':
      'Microphone access is blocked. Allow the microphone for this site in the browser settings, then try again.',
    'voice.error.noSpeech': 'No speech was heard. Press the mic and speak.',
    'voice.error.network':
      'Speech recognition needs the network (the browser sends audio to its speech service). Check the connection, or type instead.',
    'voice.error.audioCapture': 'No microphone was found. Connect one, or type instead.',
    'voice.error.language':
      'This browser cannot recognise {language}. Choose another speech language in Settings.',
    'voice.error.transcribe': 'Transcription failed: {message}',
    'voice.error.other': 'Voice input stopped ({code}). Try again, or type instead.',
  },
  ko: {
    'voice.start': '말로 요청하기',
    'voice.stop': '듣기 멈추고 보내기',
    'voice.cancelHint': 'Esc 키로 취소',
    'voice.listening': '듣는 중 ({language})…',
    'voice.recording': '녹음 중 ({language})… 다시 누르면 보냅니다',
    'voice.transcribing': '받아 적는 중…',
    'voice.checking': '음성 입력을 확인하는 중…',
    'voice.unavailable':
      '음성 입력을 쓸 수 없습니다. 이 브라우저에는 음성 인식이 없고(Chrome, Edge, Safari를 써 보세요) 서버에도 받아쓰기 모델(S2A_TRANSCRIBE_MODEL)이 없습니다.',
    'voice.noMicrophone': '음성 입력을 쓸 수 없습니다. 이 브라우저는 음성 인식도 녹음도 지원하지 않습니다.',
    'voice.insecure': '음성 입력은 안전한 페이지에서만 됩니다. http://127.0.0.1 이나 https로 여세요.',
    'voice.error.notAllowed':
      '마이크가 차단되어 있습니다. 브라우저 설정에서 이 사이트의 마이크를 허용한 뒤 다시 시도하세요.',
    'voice.error.noSpeech': '말소리가 들리지 않았습니다. 마이크를 누르고 말해 보세요.',
    'voice.error.network':
      '음성 인식에는 네트워크가 필요합니다(브라우저가 음성을 인식 서비스로 보냅니다). 연결을 확인하거나 입력해 주세요.',
    'voice.error.audioCapture': '마이크를 찾을 수 없습니다. 마이크를 연결하거나 입력해 주세요.',
    'voice.error.language':
      '이 브라우저는 {language}를 인식하지 못합니다. 설정에서 다른 음성 언어를 고르세요.',
    'voice.error.transcribe': '받아쓰기에 실패했습니다: {message}',
    'voice.error.other': '음성 입력이 멈췄습니다({code}). 다시 시도하거나 입력해 주세요.',
  },
} as const;
