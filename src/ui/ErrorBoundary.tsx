/** A crashed panel shows a way back instead of a white page. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  what: string;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`${this.props.what} crashed`, error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crashed" role="alert" data-testid="panel-crashed">
        <p>
          Something went wrong in the {this.props.what}. Your work on the board is safe on the server:{' '}
          {this.state.error.message}
        </p>
        <button type="button" className="button primary" onClick={() => this.setState({ error: null })}>
          Reload this panel
        </button>
      </div>
    );
  }
}
