import { ChatPage } from './_components/chat/chat-page.tsx';

export default function Home() {
  return <ChatPage />;
}
