export declare const SIM_TIME_HEADER: string;
export declare function followSimulatedTime(): void;
