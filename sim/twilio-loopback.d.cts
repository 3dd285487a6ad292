export declare function routeTwilioTo(baseUrl: string): void;
