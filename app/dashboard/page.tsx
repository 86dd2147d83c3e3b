'use client';
// Placeholder: the dashboard (MCIs, map) is being built.
export default function DashboardPage() {
  return <p>Dashboard</p>;
}
